package dev.lifeline.failover.internal;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/** This host's interface addresses: an endpoint on one of them runs on this node. */
final class LocalAddresses {
  private static final System.Logger LOG = System.getLogger(LocalAddresses.class.getName());

  private LocalAddresses() {}

  static Set<InetAddress> detect() {
    Set<InetAddress> addresses = new HashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          addresses.add(IpLiterals.withoutHostName(address));
        }
      }
    } catch (SocketException e) {
      LOG.log(
          Level.WARNING,
          () ->
              "cannot list network interfaces ("
                  + e.getMessage()
                  + "); same-node preference"
                  + " uses HOST_IP and configured addresses only");
    }
    return addresses;
  }
}
