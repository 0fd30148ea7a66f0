package io.turnout;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.vertx.core.Deployable;
import io.vertx.core.Verticle;
import io.vertx.core.VerticleBase;
import org.junit.jupiter.api.Test;

/**
 * The house rules of the layout (README "Layout"), checked on the main classes' bytecode: the
 * packages form no cycle, the data plane never depends on the control plane, and only verticles
 * and the composition root refer to a verticle. Each rule fails with the offending dependencies
 * listed class by class, so a failure names the edge to cut.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
      .importPackages("io.turnout");

  /** A verticle, or a class nested in one (its anonymous handlers, its records). */
  private static final DescribedPredicate<JavaClass> VERTICLE_OR_PART_OF_ONE =
      DescribedPredicate.describe("a verticle or a class nested in one", c -> isVerticle(outermost(c)));

  private static final SliceAssignment EACH_PACKAGE = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      String pkg = c.getPackageName();
      return pkg.equals("io.turnout") || pkg.startsWith("io.turnout.") ? SliceIdentifier.of(pkg)
          : SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "every io.turnout package";
    }
  };

  @Test
  void noPackageCycles() {
    // Every package is its own slice: sub-packages included (provider and provider.openai are two),
    // and the root (Main) too, which "io.turnout.(**)" would leave out.
    ArchRule rule = slices().assignedFrom(EACH_PACKAGE)
        .should().beFreeOfCycles();
    rule.check(MAIN);
  }

  @Test
  void dataPlaneNeverDependsOnTheControlPlane() {
    // It reads control-plane state only through read-only views in shared packages (io.turnout.routes).
    noClasses().that().resideInAPackage("io.turnout.dataplane..")
        .should().dependOnClassesThat().resideInAPackage("io.turnout.controlplane..")
        .check(MAIN);
  }

  @Test
  void dataPlaneReadsTheRoutingStateOnlyThroughItsReadOnlyView() {
    // RouteView (current snapshot) is the data plane's window; the table that changes is the control plane's.
    noClasses().that().resideInAPackage("io.turnout.dataplane..")
        .should().dependOnClassesThat().haveFullyQualifiedName("io.turnout.routes.RouteTable")
        .check(MAIN);
  }

  @Test
  void onlyVerticlesAndTheCompositionRootReferToVerticles() {
    noClasses().that(DescribedPredicate.not(VERTICLE_OR_PART_OF_ONE))
        .and().resideOutsideOfPackage("io.turnout.node..")
        .and().doNotHaveFullyQualifiedName(Main.class.getName())
        .should().dependOnClassesThat(VERTICLE_OR_PART_OF_ONE)
        .check(MAIN);
  }

  @Test
  void theRulesSeeTheWholeHouse() {
    // Guards the rules above against passing vacuously (a wrong import root finds no class).
    assertTrue(MAIN.stream().anyMatch(c -> c.getPackageName().equals("io.turnout.dataplane.chat")));
    assertTrue(MAIN.stream().anyMatch(c -> c.getPackageName().equals("io.turnout.controlplane.gates")));
    assertTrue(
        MAIN.stream().filter(ArchitectureTest::isVerticle).count() >= 5, "verticles found");
  }

  private static boolean isVerticle(JavaClass c) {
    return c.isAssignableTo(VerticleBase.class) || c.isAssignableTo(Verticle.class)
        || c.isAssignableTo(Deployable.class);
  }

  private static JavaClass outermost(JavaClass c) {
    JavaClass at = c;
    while (at.getEnclosingClass().isPresent()) {
      at = at.getEnclosingClass().get();
    }
    return at;
  }
}
