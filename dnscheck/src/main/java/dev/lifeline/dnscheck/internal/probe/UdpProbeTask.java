package dev.lifeline.dnscheck.internal.probe;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * A probe over UDP, on the prober's socket to its server ({@link UdpPath}), or on one of its own
 * per attempt when the request asks for a fresh source port.
 */
final class UdpProbeTask extends ProbeTask {
  private UdpPath path;
  private int sentId;

  UdpProbeTask(ProbeRequest request, CompletableFuture<ProbeResult> future, DnsProber prober) {
    super(request, future, prober);
  }

  @Override
  void send(byte[] query) throws IOException {
    UdpPath p =
        request.sourcePortPerAttempt()
            ? UdpPath.open(request.server(), prober)
            : prober.udpPath(request.server());
    byte[] wire = query;
    while (p.isTaken(queryId)) {
      // Another probe to this server waits for the same ID, or did a moment ago.
      queryId = prober.nextQueryId();
      wire = query();
    }
    path = p;
    sentId = queryId;
    p.send(sentId, wire, this, prober.now());
  }

  @Override
  void closeSocket() {
    if (path != null) {
      path.release(sentId, this);
      if (request.sourcePortPerAttempt()) {
        path.close();
      }
      path = null;
    }
  }
}
