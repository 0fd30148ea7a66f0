package io.turnout.controlplane.drills;

import io.turnout.controlplane.CommandRefusal;
import io.vertx.core.Future;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.ScopeKey;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The claim protocol: a command is decided on the drill as read; a refusal changes nothing; an
 * accepted one is stored by compare-and-set as the claim ({@code status: running}, so any other
 * member's command is refused while the step runs), its effects run here, and the drill after the
 * step replaces the claim (again by compare-and-set). A step that fails unexpectedly puts the
 * drill back as it was, never leaving it claimed.
 */
final class DrillChanges {

  private final DrillStore store;
  private final DrillMachine machine;
  private final DrillEffects effects;
  private final Clock clock;

  DrillChanges(DrillStore store, DrillMachine machine, DrillEffects effects, Clock clock) {
    this.store = store;
    this.machine = machine;
    this.effects = effects;
    this.clock = clock;
  }

  /** Runs {@code command} on drill {@code id}: the drill after it, or a {@link CommandRefusal}. */
  Future<Drill> change(String id, DrillCommand command) {
    return store.read(id).compose(read -> {
      Decision claim;
      try {
        claim = machine.decide(read.drill(), command, clock.millis());
      } catch (CommandRefusal refused) {
        return Future.failedFuture(refused);
      }
      return store.replace(id, read.text(), claim.state()).compose(claimedText -> {
        if (claimedText == null) {
          return Future.failedFuture(CommandRefusal.conflict("drill_changed", "drill " + id
              + " changed meanwhile: read it again"));
        }
        Future<Decision> stepped = effects.runStep(claim.effects()).compose(result -> {
          Decision done = machine.decide(claim.state(), new DrillCommand.StepFinished(command, result),
              clock.millis());
          return store.replace(id, claimedText, done.state()).compose(stored -> stored == null
              ? Future.failedFuture(CommandRefusal.conflict("drill_changed", "drill " + id
                  + " changed while a step ran"))
              : Future.succeededFuture(done));
        });
        // Whatever failed, the claim goes: the drill is put back as it was (a no-op if it changed meanwhile).
        return stepped.recover(t -> store.replace(id, claimedText, read.drill()).transform(x -> Future.failedFuture(t)))
            .compose(done -> effects.after(done.effects()).map(v -> done.state()));
      });
    });
  }

  /** Starts a drill: stored only when no other drill runs on its scopes and its id is free. */
  Future<Drill> start(DrillStart.Start start, String id, RouteSnapshot routes,
      Function<Set<ScopeKey>, Baseline> baseline) {
    return store.all().compose(all -> {
      Decision started;
      try {
        started = DrillStart.decide(start, routes.map(), routes.pointers(), all, id, clock.millis(), baseline);
      } catch (CommandRefusal refused) {
        return Future.failedFuture(refused);
      }
      return store.create(started.state()).compose(created -> created
          ? effects.after(started.effects()).map(v -> started.state())
          : Future.failedFuture(CommandRefusal.conflict("drill_id_taken", "drill id " + id + " is taken")));
    });
  }

  /** Every drill. */
  Future<List<Drill>> all() {
    return store.all();
  }

  Future<Drill> get(String id) {
    return store.read(id).map(DrillStore.Stored::drill);
  }
}
