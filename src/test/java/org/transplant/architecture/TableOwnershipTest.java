package org.transplant.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.persistence.Entity;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A feature owns its tables: other features call its service, never its SQL; and resources hold no SQL at all (they
 * parse, call a service, map the result).
 */
class TableOwnershipTest {

    /** Where each feature's tables may be named in SQL: the table's prefix or name, and its owner's folder. */
    private static final Map<Pattern, String> OWNERS = Map.of(
            Pattern.compile("oidc_\\w+"), "org/transplant/oidc/",
            Pattern.compile("import_jobs|remote_pods|import_left_out"), "org/transplant/migration/importer/",
            Pattern.compile("move_notices|move_deliveries|moved_people|person_keys"), "org/transplant/federation/",
            Pattern.compile("archives|archive_uploads"), "org/transplant/archive/");

    /** The tables of {@code pod}: accounts and everything they hold, sessions and failed log-ins. */
    private static final Pattern POD_TABLES = Pattern.compile("accounts|profiles|account_settings|aspects|contacts"
            + "|contact_aspects|posts|post_aspects|comments|likes|photos|conversations|conversation_participants"
            + "|messages|tag_followings|notifications|tombstones|sessions|failed_logins");

    private static final String POD = "src/main/java/org/transplant/pod/";
    /** The export is a bulk, read-only view of an account: it may read pod's tables, never write them. */
    private static final String EXPORT = "src/main/java/org/transplant/migration/export/";
    /**
     * The importer's bulk writers: they write a page of records with their cursor in one transaction, by guid,
     * hundreds of rows a statement, which a service per table would only wrap. Keep this list short.
     */
    private static final List<String> IMPORT_WRITERS =
            List.of("src/main/java/org/transplant/migration/importer/ImportWriters.java");

    /** Deleting rows: "DELETE FROM t" names t after FROM, but writes it. */
    private static final Pattern DELETE_BEFORE = Pattern.compile("(?i)DELETE\\s+$");

    private static final Pattern TABLE_IN_SQL =
            Pattern.compile("\\b(?:FROM|JOIN|UPDATE|INTO|TABLE)\\s+([a-z_]+)", Pattern.CASE_INSENSITIVE);
    /** Taking change sequence numbers, wherever it is spelled. */
    private static final Pattern SEQ_RESERVATION = Pattern.compile("last_seq\\s*=\\s*last_seq");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.transplant");
    }

    @Test
    void aFeaturesTablesAreNamedOnlyInItsOwnSql() {
        List<String> trespasses = new ArrayList<>();
        eachSource((file, text) -> {
            Matcher sql = TABLE_IN_SQL.matcher(text);
            while (sql.find()) {
                String table = sql.group(1);
                OWNERS.forEach((tables, owner) -> {
                    if (tables.matcher(table).matches() && !file.contains(owner)) {
                        trespasses.add(file + " names " + table + " (owned by " + owner + ")");
                    }
                });
            }
        });
        assertThat(trespasses).isEmpty();
    }

    @Test
    void podsTablesAreWrittenOnlyByPodAndReadOutsideItOnlyByTheExport() {
        List<String> trespasses = new ArrayList<>();
        eachSource((file, text) -> {
            if (file.startsWith(POD) || IMPORT_WRITERS.contains(file)) {
                return;
            }
            Matcher sql = TABLE_IN_SQL.matcher(text);
            while (sql.find()) {
                if (!POD_TABLES.matcher(sql.group(1)).matches()) {
                    continue;
                }
                String keyword = sql.group().split("\\s+")[0].toUpperCase(java.util.Locale.ROOT);
                boolean read = (keyword.equals("FROM") || keyword.equals("JOIN"))
                        && !DELETE_BEFORE
                                .matcher(text.substring(Math.max(0, sql.start() - 20), sql.start()))
                                .find();
                if (!(file.startsWith(EXPORT) && read)) {
                    trespasses.add(file + ": " + sql.group() + " (pod's table)");
                }
            }
        });
        assertThat(trespasses).isEmpty();
    }

    @Test
    void everyListedImportWriterStillWritesPodsTables() {
        for (String file : IMPORT_WRITERS) {
            String text;
            try {
                text = Files.readString(Paths.get(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher sql = TABLE_IN_SQL.matcher(text);
            boolean namesPodTable = false;
            while (sql.find()) {
                namesPodTable |= POD_TABLES.matcher(sql.group(1)).matches();
            }
            assertThat(namesPodTable)
                    .as(file + " names no table of pod any more: take it off IMPORT_WRITERS")
                    .isTrue();
        }
    }

    @Test
    void changeSequenceNumbersAreTakenInOnePlace() {
        List<String> places = new ArrayList<>();
        eachSource((file, text) -> {
            if (SEQ_RESERVATION.matcher(text).find()) {
                places.add(file);
            }
        });
        assertThat(places).containsExactly("src/main/java/org/transplant/pod/account/ChangeSequence.java");
    }

    /** The import job store's verbs are the only SQL of its table (and of its states). */
    @Test
    void importJobsAreReadAndWrittenOnlyByTheirStore() {
        List<String> places = new ArrayList<>();
        eachSource((file, text) -> {
            if (text.contains("import_jobs") && !file.endsWith("/JobState.java")) {
                places.add(file);
            }
        });
        assertThat(places).containsExactly("src/main/java/org/transplant/migration/importer/ImportJobs.java");
    }

    @Test
    void resourcesHoldNoSql() {
        noClasses()
                .that()
                .areAnnotatedWith(Path.class)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.vertx.sqlclient..",
                        "io.vertx.mutiny.sqlclient..",
                        "io.quarkus.hibernate.reactive.panache..",
                        "org.hibernate..")
                .orShould()
                .callMethodWhere(new DescribedPredicate<JavaMethodCall>("a query method of an entity") {
                    @Override
                    public boolean test(JavaMethodCall call) {
                        return call.getTargetOwner().isAnnotatedWith(Entity.class)
                                && call.getTarget()
                                        .resolveMember()
                                        .map(method -> method.getModifiers().contains(JavaModifier.STATIC))
                                        .orElse(false);
                    }
                })
                .check(classes);
    }

    private interface SourceVisitor {
        void visit(String file, String text);
    }

    private static void eachSource(SourceVisitor visitor) {
        try (Stream<java.nio.file.Path> files = Files.walk(Paths.get("src/main/java/org/transplant"))) {
            for (java.nio.file.Path file : (Iterable<java.nio.file.Path>)
                    files.filter(f -> f.toString().endsWith(".java")).sorted()::iterator) {
                visitor.visit(file.toString().replace('\\', '/'), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
