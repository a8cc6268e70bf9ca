package dev.lifeline.client.internal.config;

import dev.lifeline.client.ExecConfig;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.KubeConfigException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Finds and resolves a configuration with client-go's rules.
 *
 * <p>Kubeconfig files are merged in order: for each cluster, user and context name the first file
 * that defines it wins, and {@code current-context} comes from the first file that sets it.
 * Relative paths resolve against the folder of the file that holds them. Files listed in {@code
 * KUBECONFIG} that do not exist are skipped, as client-go does; explicit files must exist. When no
 * kubeconfig is found, the in-cluster service account is used.
 */
public final class ConfigLoader {
  /** Where a pod's service account files are mounted. */
  public static final Path SERVICE_ACCOUNT_DIRECTORY =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  static final String IN_CLUSTER = "in-cluster configuration";
  private static final String EXEC_EXTENSION = "client.authentication.k8s.io/exec";

  private final Map<String, String> environment;
  private final Path home;
  private final Path serviceAccountDirectory;

  /** A loader reading this environment, home folder and service-account folder. */
  public ConfigLoader(Map<String, String> environment, Path home, Path serviceAccountDirectory) {
    this.environment = environment;
    this.home = home;
    this.serviceAccountDirectory = serviceAccountDirectory;
  }

  /**
   * Loads the given files, or else KUBECONFIG, ~/.kube/config, in-cluster; see {@link
   * KubeConfig#load()}.
   */
  public KubeConfig load(List<Path> explicitFiles, String context) {
    if (!explicitFiles.isEmpty()) {
      List<KubeconfigFile> files = new ArrayList<>();
      for (Path file : explicitFiles) {
        files.add(parse(file));
      }
      return resolve(files, context);
    }
    String kubeconfigVariable = environment.get("KUBECONFIG");
    List<Path> candidates = new ArrayList<>();
    boolean fromVariable = kubeconfigVariable != null && !kubeconfigVariable.isBlank();
    if (fromVariable) {
      Set<String> seen = new LinkedHashSet<>();
      for (String entry : kubeconfigVariable.split(File.pathSeparator)) {
        if (!entry.isBlank() && seen.add(entry)) {
          candidates.add(Path.of(entry));
        }
      }
    } else {
      candidates.add(home.resolve(".kube").resolve("config"));
    }
    List<KubeconfigFile> files = new ArrayList<>();
    for (Path candidate : candidates) {
      if (Files.exists(candidate)) {
        files.add(parse(candidate));
      }
    }
    if (!files.isEmpty()) {
      return resolve(files, context);
    }
    if (isInCluster()) {
      if (context != null) {
        throw new KubeConfigException(
            IN_CLUSTER,
            null,
            "context \""
                + context
                + "\" was asked for, but no kubeconfig exists ("
                + describeCandidates(candidates, fromVariable)
                + ") and in-cluster configuration has no contexts");
      }
      return inCluster();
    }
    throw new KubeConfigException(
        "configuration",
        null,
        "no Kubernetes configuration found: "
            + describeCandidates(candidates, fromVariable)
            + ", and KUBERNETES_SERVICE_HOST is not set (not in a pod); set KUBECONFIG or create"
            + " ~/.kube/config");
  }

  private String describeCandidates(List<Path> candidates, boolean fromVariable) {
    List<String> names = new ArrayList<>();
    for (Path p : candidates) {
      names.add(display(p));
    }
    return fromVariable
        ? "KUBECONFIG lists " + String.join(", ", names) + ", none of which exists"
        : names.get(0) + " does not exist";
  }

  private boolean isInCluster() {
    String host = environment.get("KUBERNETES_SERVICE_HOST");
    return host != null && !host.isEmpty();
  }

  /** The in-cluster configuration. */
  public KubeConfig inCluster() {
    String host = environment.get("KUBERNETES_SERVICE_HOST");
    String port = environment.get("KUBERNETES_SERVICE_PORT");
    if (host == null || host.isEmpty() || port == null || port.isEmpty()) {
      throw new KubeConfigException(
          IN_CLUSTER,
          null,
          "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set; is this process running in a pod?");
    }
    Path tokenFile = serviceAccountDirectory.resolve("token");
    if (!Files.isReadable(tokenFile)) {
      throw new KubeConfigException(
          IN_CLUSTER,
          "token",
          "cannot read "
              + tokenFile
              + " ("
              + reason(tokenFile)
              + "); is a service account token mounted (automountServiceAccountToken)?");
    }
    Path caFile = serviceAccountDirectory.resolve("ca.crt");
    List<X509Certificate> cas;
    try {
      cas = PemReader.certificates(Files.readAllBytes(caFile));
    } catch (IOException e) {
      throw new KubeConfigException(
          IN_CLUSTER, "ca.crt", "cannot read " + caFile + " (" + reason(e) + ")", e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new KubeConfigException(
          IN_CLUSTER, "ca.crt", caFile + " is not a PEM certificate: " + e.getMessage(), e);
    }
    String namespace = environment.get("POD_NAMESPACE");
    Path namespaceFile = serviceAccountDirectory.resolve("namespace");
    if ((namespace == null || namespace.isBlank()) && Files.isReadable(namespaceFile)) {
      try {
        namespace = Files.readString(namespaceFile, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new KubeConfigException(
            IN_CLUSTER, "namespace", "cannot read " + namespaceFile + " (" + reason(e) + ")", e);
      }
    }
    String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return KubeConfig.builder()
        .server("https://" + hostPart + ":" + port)
        .certificateAuthorities(cas)
        .tokenFile(tokenFile)
        .namespace(namespace == null || namespace.isBlank() ? "default" : namespace)
        .origin(IN_CLUSTER, "service account token", null)
        .build();
  }

  /** One parsed kubeconfig file. */
  private record KubeconfigFile(
      Path path,
      String display,
      Map<String, Map<String, Object>> clusters,
      Map<String, Map<String, Object>> users,
      Map<String, Map<String, Object>> contexts,
      String currentContext) {}

  /** A named entry and the file that defined it. */
  private record Entry(KubeconfigFile file, String field, Map<String, Object> body) {
    String where() {
      return file.display();
    }

    Field at(String name) {
      return new Field(file, field + "." + name, body.get(name));
    }
  }

  /** One field's value, with where it is for messages. */
  private record Field(KubeconfigFile file, String name, Object value) {
    boolean isSet() {
      return value != null && !(value instanceof String && ((String) value).isEmpty());
    }

    KubeConfigException error(String problem) {
      return new KubeConfigException(file.display(), name, problem);
    }

    KubeConfigException error(String problem, Throwable cause) {
      return new KubeConfigException(file.display(), name, problem, cause);
    }

    String string() {
      if (value == null) {
        return null;
      }
      if (value instanceof Map || value instanceof List) {
        throw error("expected a string");
      }
      return String.valueOf(value);
    }

    boolean bool() {
      if (value == null) {
        return false;
      }
      if (!(value instanceof Boolean)) {
        throw error("expected true or false, got \"" + value + "\"");
      }
      return (Boolean) value;
    }

    List<String> strings() {
      if (value == null) {
        return List.of();
      }
      if (!(value instanceof List)) {
        throw error("expected a list of strings");
      }
      List<String> out = new ArrayList<>();
      for (Object o : (List<?>) value) {
        if (o instanceof Map || o instanceof List || o == null) {
          throw error("expected a list of strings");
        }
        out.add(String.valueOf(o));
      }
      return out;
    }

    /** A path, relative to the file's folder when relative. */
    Path path() {
      String s = string();
      Path p = Path.of(s);
      return p.isAbsolute() ? p : file.path().toAbsolutePath().getParent().resolve(p).normalize();
    }

    byte[] readFile() {
      Path p = path();
      try {
        return Files.readAllBytes(p);
      } catch (IOException e) {
        throw error("cannot read " + p + " (" + reason(e) + ")", e);
      }
    }

    byte[] base64() {
      try {
        return Base64.getMimeDecoder().decode(string());
      } catch (IllegalArgumentException e) {
        throw error("not valid base64", e);
      }
    }
  }

  private KubeconfigFile parse(Path path) {
    String display = display(path);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new KubeConfigException(display, null, "cannot read (" + reason(e) + ")", e);
    }
    Object root;
    try {
      Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
      root = yaml.load(new String(bytes, StandardCharsets.UTF_8));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark();
      throw new KubeConfigException(
          display,
          null,
          "not valid YAML: "
              + e.getProblem()
              + (mark == null
                  ? ""
                  : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")"),
          e);
    } catch (YAMLException e) {
      throw new KubeConfigException(display, null, "not valid YAML: " + e.getMessage(), e);
    }
    if (root == null) {
      root = Map.of();
    }
    if (!(root instanceof Map)) {
      throw new KubeConfigException(
          display, null, "not a kubeconfig: expected a map with clusters, users and contexts");
    }
    Map<?, ?> map = (Map<?, ?>) root;
    KubeconfigFile partial = new KubeconfigFile(path, display, null, null, null, null);
    Object current = map.get("current-context");
    return new KubeconfigFile(
        path,
        display,
        named(partial, map.get("clusters"), "clusters", "cluster"),
        named(partial, map.get("users"), "users", "user"),
        named(partial, map.get("contexts"), "contexts", "context"),
        current == null ? null : String.valueOf(current));
  }

  /** A list of {name, <body>} entries as a map by name. */
  private static Map<String, Map<String, Object>> named(
      KubeconfigFile file, Object list, String section, String bodyKey) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    if (list == null) {
      return out;
    }
    if (!(list instanceof List)) {
      throw new KubeConfigException(
          file.display(), section, "expected a list of entries with a name and a " + bodyKey);
    }
    int index = 0;
    for (Object item : (List<?>) list) {
      if (!(item instanceof Map)) {
        throw new KubeConfigException(
            file.display(),
            section + "[" + index + "]",
            "expected an entry with a name and a " + bodyKey);
      }
      Map<?, ?> entry = (Map<?, ?>) item;
      Object name = entry.get("name");
      if (name == null || String.valueOf(name).isEmpty()) {
        throw new KubeConfigException(file.display(), section + "[" + index + "]", "no name");
      }
      Object body = entry.get(bodyKey);
      if (body != null && !(body instanceof Map)) {
        throw new KubeConfigException(
            file.display(), section + "[" + name + "]." + bodyKey, "expected a map");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> bodyMap = body == null ? Map.of() : (Map<String, Object>) body;
      if (out.putIfAbsent(String.valueOf(name), bodyMap) != null) {
        throw new KubeConfigException(
            file.display(),
            section,
            "the name \"" + name + "\" appears twice; names must be unique in a file");
      }
      index++;
    }
    return out;
  }

  private KubeConfig resolve(List<KubeconfigFile> files, String requestedContext) {
    Map<String, Entry> clusters = new LinkedHashMap<>();
    Map<String, Entry> users = new LinkedHashMap<>();
    Map<String, Entry> contexts = new LinkedHashMap<>();
    String currentContext = null;
    KubeconfigFile currentContextFile = null;
    for (KubeconfigFile file : files) {
      file.clusters()
          .forEach((n, b) -> clusters.putIfAbsent(n, new Entry(file, "clusters[" + n + "]", b)));
      file.users().forEach((n, b) -> users.putIfAbsent(n, new Entry(file, "users[" + n + "]", b)));
      file.contexts()
          .forEach((n, b) -> contexts.putIfAbsent(n, new Entry(file, "contexts[" + n + "]", b)));
      if (currentContext == null
          && file.currentContext() != null
          && !file.currentContext().isEmpty()) {
        currentContext = file.currentContext();
        currentContextFile = file;
      }
    }
    String where = describe(files);
    String contextName = requestedContext != null ? requestedContext : currentContext;
    if (contextName == null) {
      throw new KubeConfigException(
          where,
          "current-context",
          "not set and no context was given; choose one of "
              + contexts.keySet()
              + " (kubectl config use-context NAME)");
    }
    Entry context = contexts.get(contextName);
    if (context == null) {
      String field = requestedContext != null ? "contexts" : "current-context";
      String source = requestedContext != null ? where : currentContextFile.display();
      throw new KubeConfigException(
          source,
          field,
          "context \"" + contextName + "\" is not defined; defined contexts: " + contexts.keySet());
    }
    Field clusterRef = context.at("cluster");
    Field userRef = context.at("user");
    if (!clusterRef.isSet()) {
      throw clusterRef.error("not set; name the cluster this context uses");
    }
    Entry cluster = clusters.get(clusterRef.string());
    if (cluster == null) {
      throw clusterRef.error(
          "cluster \""
              + clusterRef.string()
              + "\" is not defined; defined clusters: "
              + clusters.keySet());
    }
    Entry user = null;
    if (userRef.isSet()) {
      user = users.get(userRef.string());
      if (user == null) {
        throw userRef.error(
            "user \"" + userRef.string() + "\" is not defined; defined users: " + users.keySet());
      }
    }
    KubeConfig.Builder b = KubeConfig.builder();
    applyCluster(b, cluster);
    Field namespace = context.at("namespace");
    if (namespace.isSet()) {
      b.namespace(namespace.string());
    }
    if (user != null) {
      applyUser(b, user);
      b.origin(user.where(), user.field(), contextName);
    } else {
      b.origin(context.where(), context.field(), contextName);
    }
    try {
      return b.build();
    } catch (IllegalStateException e) {
      Entry blame = user != null ? user : cluster;
      throw new KubeConfigException(blame.where(), blame.field(), e.getMessage(), e);
    }
  }

  private void applyCluster(KubeConfig.Builder b, Entry cluster) {
    Field server = cluster.at("server");
    if (!server.isSet()) {
      throw server.error("not set; expected the API server's URL, e.g. https://10.0.0.1:6443");
    }
    try {
      b.server(server.string());
    } catch (IllegalArgumentException e) {
      throw server.error("expected https://host[:port], got \"" + server.string() + "\"", e);
    }
    Field caData = cluster.at("certificate-authority-data");
    Field caFile = cluster.at("certificate-authority");
    List<X509Certificate> cas = null;
    if (caData.isSet()) {
      cas = certificates(caData, caData.base64());
    } else if (caFile.isSet()) {
      cas = certificates(caFile, caFile.readFile());
    }
    Field insecure = cluster.at("insecure-skip-tls-verify");
    if (insecure.bool() && cas != null) {
      throw insecure.error(
          "set together with a certificate authority, which client-go refuses too; remove one of them");
    }
    b.insecureSkipTlsVerify(insecure.bool());
    if (cas != null) {
      b.certificateAuthorities(cas);
    }
    b.tlsServerName(cluster.at("tls-server-name").string());
    Field proxy = cluster.at("proxy-url");
    if (proxy.isSet()) {
      try {
        b.proxyUrl(proxy.string());
      } catch (IllegalArgumentException e) {
        throw proxy.error(e.getMessage().replaceFirst("^proxyUrl: ", ""), e);
      }
    }
    b.disableCompression(cluster.at("disable-compression").bool());
    Field extensions = cluster.at("extensions");
    if (extensions.value() instanceof List) {
      for (Object o : (List<?>) extensions.value()) {
        if (o instanceof Map && EXEC_EXTENSION.equals(((Map<?, ?>) o).get("name"))) {
          b.execClusterConfig(((Map<?, ?>) o).get("extension"));
        }
      }
    }
  }

  private static List<X509Certificate> certificates(Field field, byte[] pem) {
    try {
      return PemReader.certificates(pem);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw field.error("not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private void applyUser(KubeConfig.Builder b, Entry user) {
    Field username = user.at("username");
    Field password = user.at("password");
    if (username.isSet() || password.isSet()) {
      Field blame = username.isSet() ? username : password;
      throw blame.error(
          "basic authentication (username and password) is not supported (Kubernetes removed it in 1.19);"
              + " use a token, a client certificate or an exec plugin such as kubelogin");
    }
    Field authProvider = user.at("auth-provider");
    if (authProvider.isSet()) {
      Object name =
          authProvider.value() instanceof Map
              ? ((Map<?, ?>) authProvider.value()).get("name")
              : null;
      throw authProvider.error(
          "the legacy auth provider \""
              + name
              + "\" is not supported (client-go removed it); "
              + authProviderHint(String.valueOf(name)));
    }
    Field token = user.at("token");
    if (token.isSet()) {
      b.token(token.string().trim());
    }
    Field tokenFile = user.at("tokenFile");
    if (tokenFile.isSet()) {
      Path p = tokenFile.path();
      if (!Files.isReadable(p)) {
        throw tokenFile.error("cannot read " + p + " (" + reason(p) + ")");
      }
      b.tokenFile(p);
    }
    Field certData = user.at("client-certificate-data");
    Field certFile = user.at("client-certificate");
    Field keyData = user.at("client-key-data");
    Field keyFile = user.at("client-key");
    Field cert = certData.isSet() ? certData : certFile;
    Field key = keyData.isSet() ? keyData : keyFile;
    if (cert.isSet() != key.isSet()) {
      Field missing = cert.isSet() ? keyFile : certFile;
      throw missing.error(
          "not set, but "
              + (cert.isSet() ? cert.name() : key.name())
              + " is; a client certificate needs both the certificate and its key");
    }
    if (cert.isSet()) {
      List<X509Certificate> chain =
          certificates(cert, cert == certData ? cert.base64() : cert.readFile());
      byte[] keyPem = key == keyData ? key.base64() : key.readFile();
      PrivateKey privateKey;
      try {
        privateKey = PemReader.privateKey(keyPem);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        String what = key == keyData ? "" : key.path() + ": ";
        throw key.error(what + "not a usable private key: " + e.getMessage(), e);
      }
      b.clientCertificate(chain, privateKey);
    }
    Field exec = user.at("exec");
    if (exec.isSet()) {
      b.exec(exec(user, exec));
    }
    Field as = user.at("as");
    if (as.isSet()) {
      b.impersonateUser(as.string());
    }
    Field asUid = user.at("as-uid");
    if (asUid.isSet()) {
      b.impersonateUid(asUid.string());
    }
    b.impersonateGroups(user.at("as-groups").strings());
    Field extra = user.at("as-user-extra");
    if (extra.isSet()) {
      if (!(extra.value() instanceof Map)) {
        throw extra.error("expected a map of lists of strings");
      }
      Map<String, List<String>> values = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) extra.value()).entrySet()) {
        values.put(
            String.valueOf(e.getKey()),
            new Field(extra.file(), extra.name() + "." + e.getKey(), e.getValue()).strings());
      }
      b.impersonateExtra(values);
    }
  }

  private static String authProviderHint(String name) {
    switch (name) {
      case "gcp":
        return "use the exec plugin gke-gcloud-auth-plugin (gcloud components install"
            + " gke-gcloud-auth-plugin), which gcloud writes into the kubeconfig";
      case "azure":
        return "use the exec plugin kubelogin (kubelogin convert-kubeconfig)";
      case "oidc":
        return "use an exec plugin such as kubelogin (kubectl oidc-login)";
      default:
        return "use an exec credential plugin";
    }
  }

  private ExecConfig exec(Entry user, Field exec) {
    if (!(exec.value() instanceof Map)) {
      throw exec.error("expected a map with command and apiVersion");
    }
    @SuppressWarnings("unchecked")
    Entry e = new Entry(user.file(), exec.name(), (Map<String, Object>) exec.value());
    Field command = e.at("command");
    if (!command.isSet()) {
      throw command.error("not set; name the credential plugin to run");
    }
    String commandText = command.string();
    if (commandText.contains(File.separator) && !Path.of(commandText).isAbsolute()) {
      commandText = command.path().toString();
    }
    Field apiVersion = e.at("apiVersion");
    String version = apiVersion.string();
    if (!ExecConfig.V1.equals(version) && !ExecConfig.V1BETA1.equals(version)) {
      throw apiVersion.error(
          "expected "
              + ExecConfig.V1
              + " or "
              + ExecConfig.V1BETA1
              + (version == null ? ", not set" : ", got \"" + version + "\""));
    }
    Field interactive = e.at("interactiveMode");
    ExecConfig.InteractiveMode mode;
    if (interactive.isSet()) {
      mode = ExecConfig.InteractiveMode.of(interactive.string());
      if (mode == null) {
        throw interactive.error(
            "expected Never, IfAvailable or Always, got \"" + interactive.string() + "\"");
      }
    } else if (ExecConfig.V1.equals(version)) {
      throw interactive.error(
          "required by " + ExecConfig.V1 + "; set Never, IfAvailable or Always");
    } else {
      mode = ExecConfig.InteractiveMode.IF_AVAILABLE;
    }
    Map<String, String> env = new LinkedHashMap<>();
    Field envField = e.at("env");
    if (envField.isSet()) {
      if (!(envField.value() instanceof List)) {
        throw envField.error("expected a list of {name, value}");
      }
      int i = 0;
      for (Object o : (List<?>) envField.value()) {
        if (!(o instanceof Map) || ((Map<?, ?>) o).get("name") == null) {
          throw new Field(e.file(), envField.name() + "[" + i + "]", o)
              .error("expected {name, value}");
        }
        Map<?, ?> m = (Map<?, ?>) o;
        Object value = m.get("value");
        env.put(String.valueOf(m.get("name")), value == null ? "" : String.valueOf(value));
        i++;
      }
    }
    return new ExecConfig(
        commandText,
        e.at("args").strings(),
        env,
        version,
        e.at("installHint").string(),
        mode,
        e.at("provideClusterInfo").bool());
  }

  private String describe(List<KubeconfigFile> files) {
    if (files.size() == 1) {
      return files.get(0).display();
    }
    List<String> names = new ArrayList<>();
    for (KubeconfigFile f : files) {
      names.add(f.display());
    }
    return String.join(File.pathSeparator, names);
  }

  /** A path for messages, with the home folder shown as ~. */
  String display(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path h = home.toAbsolutePath().normalize();
    if (absolute.startsWith(h) && !absolute.equals(h)) {
      return "~/" + h.relativize(absolute).toString().replace(File.separatorChar, '/');
    }
    return path.toString();
  }

  /** Why a path cannot be read, in the words of the C library. */
  static String reason(Path path) {
    if (!Files.exists(path)) {
      return "No such file or directory";
    }
    if (Files.isDirectory(path)) {
      return "Is a directory";
    }
    return "Permission denied";
  }

  /** Why an I/O operation failed, without the path the message already names. */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    String message = e.getMessage();
    if (message != null && message.contains("Is a directory")) {
      return "Is a directory";
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
