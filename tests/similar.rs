//! `archiv similar` and the folding of near-copies in search results, on
//! articles written here: an agency story carried by two outlets, another
//! article on the same subject, one story told at two reading levels, and two
//! related articles about a bee disease among unrelated ones.

mod common;

use std::fs;
use std::path::Path;

use serde_json::{Value, json};
use tempfile::TempDir;

/// The agency text both outlets print; the second puts a dateline first.
const BRIDGE_AGENCY_TEXT: &str = "Der Stadtrat von Lindenau hat am Dienstagabend beschlossen, \
    die marode Holzbrücke über die Mulde abzureißen und durch eine Stahlbrücke zu ersetzen. \
    Gutachter hatten im Frühjahr Fäulnis an mehreren tragenden Balken festgestellt; seitdem \
    dürfen nur noch Fußgänger und Radfahrer die Brücke benutzen. Die neue Konstruktion soll \
    rund vier Millionen Euro kosten, zwei Drittel davon trägt der Freistaat. Während der \
    Bauzeit pendelt eine kleine Fähre zwischen den Ufern, kündigte Bürgermeisterin Heike \
    Sommer an. Die Arbeiten beginnen im kommenden März und sollen bis zum Herbst des \
    folgenden Jahres abgeschlossen sein. Anwohner des Ortsteils Kleinmühlen hatten seit \
    Jahren eine neue Verbindung gefordert, weil Lieferwagen einen Umweg von elf Kilometern \
    fahren müssen.";

/// A later article on the same bridge: same place and subject, its own text.
const BRIDGE_OTHER_TEXT: &str = "Die geplante Stahlbrücke in Lindenau wird teurer als \
    gedacht. Nach der Ausschreibung liegen die Angebote der Baufirmen deutlich über der \
    Schätzung, berichtete Kämmerer Jonas Albrecht im Finanzausschuss. Statt vier rechnet \
    die Verwaltung nun mit fast sechs Millionen Euro. Die Opposition verlangt, auf den \
    geplanten Aussichtsbalkon zu verzichten und den Radweg schmaler zu bauen. Ob der \
    Freistaat auch die Mehrkosten fördert, ist offen; eine Antwort aus Dresden wird im \
    Januar erwartet. Die Holzbrücke bleibt bis zum Baubeginn für Fußgänger geöffnet.";

const STORKS_TITLE: &str = "Warum die Störche immer früher zurückkehren";

/// One story for older readers...
const STORKS_LONG: &str = "In vielen Dörfern an der Elbe klappern die Störche in diesem \
    Jahr schon Anfang März auf ihren Nestern. Vor dreißig Jahren kamen die meisten erst im \
    April aus Afrika zurück. Fachleute der Vogelwarte in Loburg erklären die Veränderung mit \
    dem Klima: Weil die Winter milder werden, überwintern immer mehr Störche in Spanien statt \
    südlich der Sahara. Dort finden sie auf Reisfeldern und Mülldeponien genug Futter. Der \
    kürzere Flug spart Kraft, und wer früh ankommt, sichert sich das beste Nest. Für die \
    Jungvögel ist das ein Vorteil, denn sie haben mehr Zeit, vor dem Herbst fliegen zu lernen. \
    Die Vogelwarte bittet Spaziergänger, beringte Störche zu melden.";

/// ...and told again in simple sentences.
const STORKS_SIMPLE: &str = "Die Störche sind wieder da. An der Elbe sitzen sie schon im \
    März auf ihren Nestern. Früher kamen sie erst im April aus Afrika zurück. Warum ist das \
    so? Die Winter werden milder. Viele Störche fliegen nicht mehr bis südlich der Sahara. \
    Sie bleiben in Spanien. Dort finden sie auf Reisfeldern genug Futter. Der Flug ist \
    kürzer. Wer früh ankommt, bekommt das beste Nest. Die Jungvögel haben dann mehr Zeit, \
    fliegen zu lernen. Die Vogelwarte in Loburg sagt: Bitte meldet beringte Störche.";

const BEES_TEXT: &str = "Im Landkreis Wiesental ist bei zwei Imkern die Amerikanische \
    Faulbrut festgestellt worden. Das Veterinäramt hat um die betroffenen Bienenstände einen \
    Sperrbezirk mit drei Kilometern Radius eingerichtet. Bienenvölker, Waben und Honig dürfen \
    diesen Bezirk vorerst nicht verlassen. Die Seuche ist für Menschen ungefährlich, vernichtet \
    aber ganze Völker, weil die Sporen des Erregers die Larven töten. Alle Imker im Sperrbezirk \
    müssen ihre Völker untersuchen lassen und Futterkranzproben abgeben.";

const BEES_RELATED_TEXT: &str = "Drei Wochen nach dem Ausbruch der Amerikanischen Faulbrut \
    im Wiesental sind die Futterkranzproben ausgewertet. In fünf weiteren Bienenvölkern fand \
    das Labor Sporen des Erregers, teilte das Veterinäramt mit. Der Sperrbezirk wird deshalb \
    nach Westen erweitert. Betroffene Imker müssen ihre Völker sanieren oder abschwefeln, \
    die Waben werden verbrannt. Der Imkerverein rät, keinen fremden Honig an Bienen zu \
    verfüttern, weil sich die Seuche so verbreitet.";

/// Articles on other subjects, so that term weights are not all alike.
const OTHERS: [(&str, &str); 4] = [
    (
        "Handballerinnen gewinnen das Derby",
        "Die Handballerinnen des SV Auental haben das Derby gegen Grimma mit 27:24 gewonnen. \
         Torhüterin Mia Kunze hielt in der Schlussphase zwei Siebenmeter. Am Samstag geht \
         es zum Tabellenführer nach Zwickau.",
    ),
    (
        "Stadtbibliothek verlängert Öffnungszeiten",
        "Die Stadtbibliothek öffnet ab Februar auch am Sonntagnachmittag. Studierende hatten \
         sich mehr Plätze zum Lernen gewünscht. Die zusätzlichen Stunden finanziert ein \
         Förderverein.",
    ),
    (
        "Winterdienst streut weniger Salz",
        "Der städtische Winterdienst will in diesem Winter weniger Salz streuen. Auf Radwegen \
         kommt Splitt zum Einsatz, der Bäume und Böden schont. Anwohner müssen Gehwege \
         weiterhin selbst räumen.",
    ),
    (
        "Neuer Bäcker im alten Bahnhof",
        "Im alten Bahnhofsgebäude hat eine Bäckerei eröffnet. Der Inhaber backt Sauerteigbrot \
         nach dem Rezept seiner Großmutter und verkauft morgens auch Kaffee für Pendler.",
    ),
];

struct Archive {
    dir: TempDir,
}

impl Archive {
    /// Writes the articles as news-please JSON files and indexes them.
    fn new() -> Archive {
        let archive = Archive {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let dated = "2025-03-04 08:00:00";
        archive.article(
            "bruecke-kurier",
            "Lindenau ersetzt marode Holzbrücke",
            BRIDGE_AGENCY_TEXT,
            dated,
            "mulde-kurier.de",
        );
        archive.article(
            "bruecke-anzeiger",
            "Neue Stahlbrücke für Lindenau",
            &format!("Lindenau (dpa) – {BRIDGE_AGENCY_TEXT}"),
            "2025-03-04 11:30:00",
            "elbtal-anzeiger.de",
        );
        archive.article(
            "bruecke-kosten",
            "Brücke in Lindenau wird zwei Millionen Euro teurer",
            BRIDGE_OTHER_TEXT,
            "2025-05-12 09:00:00",
            "mulde-kurier.de",
        );
        archive.article(
            "stoerche-b1",
            STORKS_TITLE,
            STORKS_LONG,
            "2025-03-10 06:00:00",
            "kinderzeitung.de",
        );
        archive.article(
            "stoerche-a1",
            STORKS_TITLE,
            STORKS_SIMPLE,
            "2025-03-10 06:00:00",
            "kinderzeitung.de",
        );
        archive.article(
            "bienen",
            "Faulbrut im Wiesental: Sperrbezirk um zwei Bienenstände",
            BEES_TEXT,
            "2025-06-02 10:00:00",
            "landbote.de",
        );
        archive.article(
            "bienen-proben",
            "Seuche bei Bienen breitet sich aus",
            BEES_RELATED_TEXT,
            "2025-06-23 10:00:00",
            "landbote.de",
        );
        for (n, (title, text)) in OTHERS.iter().enumerate() {
            archive.article(
                &format!("andere-{n}"),
                title,
                text,
                dated,
                "mulde-kurier.de",
            );
        }
        let run = archive.run(&["index", "articles"]);
        assert_eq!(run.code, Some(0), "index failed:\n{}", run.stderr);
        archive
    }

    fn article(&self, name: &str, title: &str, text: &str, date: &str, source: &str) {
        let folder = self.dir.path().join("articles");
        fs::create_dir_all(&folder).expect("articles folder");
        let value = json!({
            "title": title,
            "maintext": text,
            "date_publish": date,
            "source_domain": source,
            "language": "de",
        });
        fs::write(folder.join(format!("{name}.json")), value.to_string()).expect("write");
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = common::run_archiv(self.dir.path(), &self.dir.path().join("index"), args, None);
        Run {
            code: out.code,
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: out.stderr,
        }
    }

    /// `ARGS --format json`, which must find something.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let run = self.run(&all);
        assert_eq!(run.code, Some(0), "{all:?}:\n{}{}", run.stdout, run.stderr);
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}:\n{}", run.stdout))
    }

    /// The id of the article stored from `articles/NAME.json`.
    fn id(&self, name: &str) -> String {
        let path = Path::new("articles").join(format!("{name}.json"));
        let article = self.json(&["show", path.to_str().unwrap()]);
        article["id"].as_str().expect("id").to_string()
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn hits(result: &Value) -> &Vec<Value> {
    result["hits"].as_array().expect("hits")
}

fn ids(result: &Value) -> Vec<&str> {
    hits(result)
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect()
}

#[test]
fn two_outlets_printing_one_agency_story_are_one_hit() {
    let archive = Archive::new();
    let (kurier, anzeiger, kosten) = (
        archive.id("bruecke-kurier"),
        archive.id("bruecke-anzeiger"),
        archive.id("bruecke-kosten"),
    );

    let folded = archive.json(&["search", "Lindenau Brücke"]);
    assert_eq!(folded["total"], 3, "the total counts every hit");
    assert_eq!(ids(&folded).len(), 2, "{folded:#}");
    let copy = hits(&folded)
        .iter()
        .find(|h| h["similar"] == 1)
        .unwrap_or_else(|| panic!("no hit with a near-copy folded in: {folded:#}"));
    let pair = [
        copy["id"].as_str().unwrap(),
        copy["similar_ids"][0].as_str().unwrap(),
    ];
    assert!(
        pair.contains(&kurier.as_str()) && pair.contains(&anzeiger.as_str()),
        "{copy:#}"
    );
    assert_eq!(folded["collapsed"]["folded"], 1);

    let all = archive.json(&["search", "Lindenau Brücke", "--no-collapse"]);
    assert_eq!(all["total"], 3);
    let mut listed = ids(&all);
    listed.sort_unstable();
    let mut expected = vec![kurier.as_str(), anzeiger.as_str(), kosten.as_str()];
    expected.sort_unstable();
    assert_eq!(listed, expected);
    assert!(hits(&all).iter().all(|h| h["similar"] == 0));
    assert_eq!(all["collapsed"], Value::Null);

    // The terminal says what was folded, and how to see it.
    let text = archive.run(&["search", "Lindenau Brücke", "--color", "never"]);
    assert!(
        text.stdout.starts_with("3 hits for \"Lindenau Brücke\""),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("1 near-copy folded"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("--no-collapse"), "{}", text.stdout);
    assert!(text.stdout.contains("+ 1 similar: "), "{}", text.stdout);

    // The timeline counts the folded copy too: both copies are of the week of 3 March.
    let text = archive.run(&[
        "search",
        "Lindenau Brücke",
        "--timeline",
        "--color",
        "never",
    ]);
    let week = text
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("2025-03-03"))
        .unwrap_or_else(|| panic!("no week of 3 March:\n{}", text.stdout));
    assert_eq!(week.split_whitespace().nth(1), Some("2"), "{week}");
}

#[test]
fn another_article_on_the_same_subject_stays_a_hit_of_its_own() {
    let archive = Archive::new();
    let kosten = archive.id("bruecke-kosten");
    let folded = archive.json(&["search", "Stahlbrücke Lindenau Holzbrücke"]);
    let hit = hits(&folded)
        .iter()
        .find(|h| h["id"] == kosten.as_str())
        .unwrap_or_else(|| panic!("the later article is not listed: {folded:#}"));
    assert_eq!(hit["similar"], 0, "{hit:#}");
    for other in hits(&folded) {
        let folded_ids = other["similar_ids"].as_array().unwrap();
        assert!(
            !folded_ids.iter().any(|id| id == kosten.as_str()),
            "{other:#}"
        );
    }

    // Nor are the two bee articles, though they share a subject and many words.
    let bees = archive.json(&["search", "Faulbrut Imker"]);
    assert_eq!(ids(&bees).len(), 2, "{bees:#}");
}

#[test]
fn one_story_at_two_reading_levels_is_one_hit() {
    let archive = Archive::new();
    let folded = archive.json(&["search", "Störche"]);
    assert_eq!(folded["total"], 2);
    assert_eq!(ids(&folded).len(), 1, "{folded:#}");
    assert_eq!(hits(&folded)[0]["similar"], 1);
    let all = archive.json(&["search", "Störche", "--no-collapse"]);
    assert_eq!(ids(&all).len(), 2);
}

#[test]
fn similar_lists_the_related_article_first_and_never_the_article_itself() {
    let archive = Archive::new();
    let (bees, related) = (archive.id("bienen"), archive.id("bienen-proben"));
    let result = archive.json(&["similar", &bees]);
    let found = ids(&result);
    assert_eq!(found.first(), Some(&related.as_str()), "{result:#}");
    assert!(!found.contains(&bees.as_str()), "{result:#}");
    assert_eq!(result["like"]["id"], bees.as_str());
    let terms = result["like"]["terms"].as_array().unwrap();
    assert!(terms.iter().any(|t| t == "faulbrut"), "{terms:?}");

    // The article's own copy is found first, and neither copy lists itself.
    let kurier = archive.id("bruecke-kurier");
    let anzeiger = archive.id("bruecke-anzeiger");
    let result = archive.json(&["similar", &kurier]);
    assert_eq!(ids(&result).first(), Some(&anzeiger.as_str()), "{result:#}");
    assert!(!ids(&result).contains(&kurier.as_str()));

    // Filters narrow the hits as in a search.
    let run = archive.run(&["similar", &kurier, "--from", "2025-05", "--format", "json"]);
    let later: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(!ids(&later).contains(&anzeiger.as_str()), "{later:#}");
    let result = archive.json(&["similar", &kurier, "--source", "elbtal-anzeiger.de"]);
    assert_eq!(ids(&result), [anzeiger.as_str()]);

    let text = archive.run(&["similar", &bees, "-n", "1", "--color", "never"]);
    assert!(
        text.stdout
            .contains(&format!("like {bees} “Faulbrut im Wiesental")),
        "{}",
        text.stdout
    );
}

#[test]
fn similar_to_an_unknown_article_is_an_error() {
    let archive = Archive::new();
    let run = archive.run(&["similar", "0123456789ab"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("no article with id or path `0123456789ab`"),
        "{}",
        run.stderr
    );
}

/// The notice a site prints under every entry of its festival ticker.
const TICKER_NOTICE: &str = "Alle Meldungen zum Stadtfest finden Sie in unserem Ticker, \
    der bis Sonntagabend laufend ergänzt wird. Hinweise auf gesperrte Straßen, verlegte \
    Haltestellen und geänderte Öffnungszeiten der Ämter sammelt die Redaktion auf einer \
    eigenen Seite. Wer Fotos vom Fest schicken möchte, erreicht uns über das Formular im \
    Leserbereich; mit dem Einsenden erlauben Sie uns, die Bilder in der Zeitung und im Netz \
    zu zeigen. Fundsachen nimmt das Bürgerbüro am Markt entgegen, verlorene Kinder warten \
    am Stand des Roten Kreuzes neben der Hauptbühne. Die Busse der Linien zwei und fünf \
    fahren während des Festes alle zehn Minuten, der letzte Sonderzug nach Grimma verlässt \
    den Bahnhof kurz nach Mitternacht. Glasflaschen sind auf dem Festgelände verboten, \
    Taschen werden an den Eingängen stichprobenartig kontrolliert. Parkplätze gibt es am \
    Sportplatz und hinter dem Gewerbegebiet, von dort pendeln kostenlose Shuttlebusse. \
    Unsere Reporter sind an allen drei Tagen unterwegs und berichten von den Bühnen, vom \
    Umzug und vom Feuerwerk am Samstag.";

const TICKER_ENTRIES: usize = 24;

/// One short ticker entry of its own, then the notice.
fn ticker_entry(n: usize) -> (String, String) {
    let title = format!("Stadtfest-Ticker: Meldung {n}");
    let text = format!("Auf Bühne {n} spielt um {n} Uhr die Kapelle Nummer {n}. {TICKER_NOTICE}");
    (title, text)
}

#[test]
fn entries_sharing_a_site_notice_are_not_copies_when_many_articles_carry_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = Archive { dir };
    for n in 0..TICKER_ENTRIES {
        let (title, text) = ticker_entry(n);
        archive.article(
            &format!("ticker-{n:02}"),
            &title,
            &text,
            "2025-08-09 12:00:00",
            "lindenauer-zeitung.de",
        );
    }
    let run = archive.run(&["index", "articles"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let n = TICKER_ENTRIES.to_string();
    let all = archive.json(&["search", "Stadtfest Ticker", "-n", &n]);
    assert_eq!(all["total"], TICKER_ENTRIES);
    assert_eq!(ids(&all).len(), TICKER_ENTRIES, "{all:#}");
    assert_eq!(all["collapsed"]["folded"], 0, "{all:#}");

    // With the notice under three entries only, it is no longer boilerplate
    // of the archive, and the entries, all but the notice, are near-copies.
    for n in 3..TICKER_ENTRIES {
        fs::remove_file(
            archive
                .dir
                .path()
                .join("articles")
                .join(format!("ticker-{n:02}.json")),
        )
        .unwrap();
    }
    let run = archive.run(&["index", "articles"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let few = archive.json(&["search", "Stadtfest Ticker"]);
    assert_eq!(few["total"], 3);
    assert_eq!(ids(&few).len(), 1, "{few:#}");
}
