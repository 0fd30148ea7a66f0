package io.turnout.node;

import io.turnout.config.SecretDigest;
import io.turnout.config.SecretResolver;
import io.turnout.controlplane.admin.AdminApi;
import io.turnout.controlplane.admin.AdminTokens;
import io.turnout.controlplane.audit.AuditLog;
import io.turnout.dataplane.provider.ProviderKeys;
import io.turnout.dataplane.tenancy.ClientRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key rotation without a restart: every {@link #CHECK_MS} (and on {@code POST
 * /admin/secrets/reload}) the {@code file:} secrets the config resolved are read again; a provider
 * key, client key or admin token whose file changed takes effect at once (new attempts send the
 * new key, attempts in flight finish with theirs; the old client key or token is refused from
 * then on). Every rotation is audited and logged by field, never by value. A secret file that
 * became unreadable or empty keeps the value in force (one WARN). Other file secrets (a webhook's,
 * the simulator's) are read at start only.
 */
public final class SecretRotation {

  /** How often the secret files are read again. */
  public static final long CHECK_MS = 5_000;

  private static final Logger LOG = LoggerFactory.getLogger(SecretRotation.class);

  private final Vertx vertx;
  private final List<SecretResolver.FileRef> files;
  private final ProviderKeys keys;
  private final ClientRegistry clients;
  private final AdminTokens tokens;
  private final AuditLog audit;
  private final String nodeId;
  private final Clock clock;
  private final Map<String, String> digests = new HashMap<>();
  private final Set<String> warned = new HashSet<>();

  SecretRotation(Vertx vertx, NodeConfig config, ProviderKeys keys, AuditLog audit, String nodeId, Clock clock) {
    this.vertx = vertx;
    this.files = config.secretFiles();
    this.keys = keys;
    this.clients = config.clients();
    this.tokens = config.adminTokens();
    this.audit = audit;
    this.nodeId = nodeId;
    this.clock = clock;
  }

  /** Remembers what the files hold now, then checks them periodically and on the admin command. */
  Future<Void> start() {
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        for (SecretResolver.FileRef ref : files) {
          digests.put(ref.field(), digestOf(ref));
        }
      }
      return null;
    }).compose(v -> {
      if (!files.isEmpty()) {
        vertx.setPeriodic(CHECK_MS, id -> check("file:watch"));
      }
      return vertx.eventBus().<JsonObject>localConsumer(AdminApi.SECRETS_ADDRESS, m -> check(
          "operator:" + m.body().getString("operator", "unknown")).onComplete(ar -> m.reply(ar.succeeded()
              ? new JsonObject().put("rotated", ar.result()) : new JsonObject().put("rotated", new JsonArray()))))
          .completion();
    });
  }

  /** Reads every secret file again; answers the fields rotated (values never leave this class). */
  Future<JsonArray> check(String by) {
    return vertx.executeBlocking(() -> checkNow(by));
  }

  /** One check, one at a time (the timer and the admin command may ask at once). */
  private synchronized JsonArray checkNow(String by) throws java.io.IOException {
    {
      Map<SecretResolver.FileRef, String> changed = new LinkedHashMap<>();
      for (SecretResolver.FileRef ref : files) {
        try {
          String value = SecretResolver.reread(ref.file());
          String digest = SecretDigest.sha256Hex(value);
          warned.remove(ref.field());
          if (!digest.equals(digests.get(ref.field()))) {
            digests.put(ref.field(), digest);
            changed.put(ref, value);
          }
        } catch (java.io.IOException | RuntimeException unreadable) {
          if (warned.add(ref.field())) {
            LOG.warn("Secret file of {} cannot be read ({}): the value in force stays", ref.field(),
                unreadable.getClass().getSimpleName());
          }
        }
      }
      JsonArray rotated = new JsonArray();
      changed.forEach((ref, value) -> {
        if (apply(ref.field(), value)) {
          rotated.add(ref.field());
        } else if (warned.add("restart:" + ref.field())) {
          LOG.warn("Secret file of {} changed: it is read at start only, restart the node to use it", ref.field());
        }
      });
      if (!rotated.isEmpty()) {
        audit.append(new JsonObject().put("time", clock.instant().toString()).put("node", nodeId)
            .put("action", "secret_rotated").put("operator", by).put("secrets", rotated));
        LOG.info("Secrets rotated by {}: {}", by, rotated.encode());
      }
      return rotated;
    }
  }

  /** Puts a rotated value in force; false for a secret that is read at start only. */
  private boolean apply(String field, String value) {
    String[] parts = field.split("\\.");
    if (parts.length == 4 && parts[0].equals("providers") && parts[2].equals("auth") && parts[3].equals("key")) {
      keys.rotate(parts[1], value);
      return true;
    }
    if (parts.length == 3 && parts[0].equals("clients") && parts[2].equals("key")) {
      clients.rotate(parts[1], value);
      return true;
    }
    if (parts.length == 3 && parts[0].equals("admin") && parts[1].equals("tokens")) {
      tokens.rotate(parts[2], value);
      return true;
    }
    return false;
  }

  private static String digestOf(SecretResolver.FileRef ref) {
    try {
      return SecretDigest.sha256Hex(SecretResolver.reread(ref.file()));
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
