//! Actors: people and organisations, one canonical name each.
//!
//! Known actors come from an alias list (`data/actors-de.tsv`: transliteration
//! variants, acronyms). Other people are found from capitalised name
//! sequences with evidence: a known first name (`John Kirby`) or a role word
//! before them (`Militärgeheimdienstchef Kyrylo Budanow`). A surname alone or
//! in the genitive (`Kirby`, `Pistorius'`, `Putins`) counts for the full name
//! met in the same article.

use foldhash::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Serialize;

use super::countries::Gazetteer;
use super::text::{Token, tokens};

const ACTORS_DATA: &str = include_str!("../../data/actors-de.tsv");
const ROLES_DATA: &str = include_str!("../../data/role-words-de.txt");
const NOT_ACTORS_DATA: &str = include_str!("../../data/not-actors-de.txt");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    Person,
    Organisation,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct ActorMention {
    pub name: String,
    pub kind: ActorKind,
    pub role: Option<String>,
    pub mentions: usize,
}

struct Lexicon {
    /// Alias as written (words joined by one space) → (canonical, kind).
    aliases: HashMap<String, (String, ActorKind)>,
    longest_alias: usize,
    /// First words of multi-word aliases: a window is only tried where one starts.
    alias_starts: HashSet<String>,
    /// Every shorter run of words that opens a multi-word alias (`Wolodymyr`,
    /// `Vereinte`, `Christlich Demokratische`): a window grows while it is one.
    alias_prefixes: HashSet<String>,
    /// First words of aliases that start in lower case (`von der Leyen`,
    /// `al-Sinwar`): other lower-case words are never looked up.
    lowercase_alias_starts: HashSet<String>,
    /// Their first bytes: a lower-case word is only looked up when it starts like one.
    lowercase_alias_initials: [bool; 128],
    roles: HashSet<String>,
    /// Last three letters of every role in every form (`her`, `rin`, `nen`).
    role_tails: HashSet<String>,
    not_actors: HashSet<String>,
}

static LEXICON: OnceLock<Lexicon> = OnceLock::new();

fn lexicon() -> &'static Lexicon {
    LEXICON.get_or_init(|| {
        let mut aliases = HashMap::default();
        let mut longest_alias = 1;
        let mut alias_starts = HashSet::default();
        let mut alias_prefixes = HashSet::default();
        let mut lowercase_alias_starts = HashSet::default();
        for line in ACTORS_DATA
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let (Some(canonical), Some(kind)) = (cols.first(), cols.get(1)) else {
                continue;
            };
            let kind = if kind.starts_with("org") {
                ActorKind::Organisation
            } else {
                ActorKind::Person
            };
            let mut names = vec![canonical.to_string()];
            if let Some(list) = cols.get(2) {
                names.extend(
                    list.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                );
            }
            if kind == ActorKind::Organisation {
                let inflected: Vec<String> =
                    names.iter().flat_map(|n| inflected_forms(n)).collect();
                names.extend(inflected);
            }
            for name in names {
                let key = name.split_whitespace().collect::<Vec<_>>().join(" ");
                longest_alias = longest_alias.max(key.split(' ').count());
                let first = key.split(' ').next().unwrap_or_default();
                if key.contains(' ') {
                    alias_starts.insert(first.to_string());
                    for (at, _) in key.match_indices(' ') {
                        alias_prefixes.insert(key[..at].to_string());
                    }
                }
                if !first.starts_with(char::is_uppercase) {
                    lowercase_alias_starts.insert(first.to_string());
                }
                aliases.entry(key).or_insert((canonical.to_string(), kind));
            }
        }
        let words = |data: &str| -> Vec<String> {
            data.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect()
        };
        let roles: HashSet<String> = words(ROLES_DATA).into_iter().collect();
        let mut role_tails = HashSet::default();
        for role in &roles {
            for form in [
                role.clone(),
                format!("{role}in"),
                format!("{role}innen"),
                format!("{role}s"),
                format!("{role}en"),
                format!("{role}n"),
            ] {
                let chars: Vec<char> = form.chars().collect();
                role_tails.insert(chars[chars.len().saturating_sub(3)..].iter().collect());
            }
        }
        Lexicon {
            aliases,
            longest_alias,
            alias_starts,
            alias_prefixes,
            lowercase_alias_initials: {
                let mut initials = [false; 128];
                for start in &lowercase_alias_starts {
                    if let Some(b) = start.as_bytes().first() {
                        initials[usize::from(*b & 0x7f)] = true;
                    }
                }
                initials
            },
            lowercase_alias_starts,
            roles,
            role_tails,
            not_actors: words(NOT_ACTORS_DATA).into_iter().collect(),
        }
    })
}

fn is_name_word(t: &Token) -> bool {
    let bytes = t.text.as_bytes();
    // Runs twice for every word: ASCII is looked at byte by byte.
    let rest = match bytes.first() {
        Some(b) if b.is_ascii_uppercase() => &t.text[1..],
        Some(b) if b.is_ascii() => return false,
        _ => {
            let mut chars = t.text.chars();
            if !chars.next().is_some_and(char::is_uppercase) {
                return false;
            }
            chars.as_str()
        }
    };
    // `Kramp-Karrenbauer` and `O'Brien` are names; `NATO` and `SPD` are not people.
    let mut has_lower = false;
    for (i, &b) in rest.as_bytes().iter().enumerate() {
        if b.is_ascii_digit() {
            return false;
        }
        if !b.is_ascii() {
            for c in rest[i..].chars() {
                if c.is_ascii_digit() {
                    return false;
                }
                has_lower |= c.is_lowercase();
            }
            return has_lower;
        }
        has_lower |= b.is_ascii_lowercase();
    }
    has_lower
}

/// Words that open an organisation's name: `FC Arsenal`, `Universität Wien`.
const ORG_OPENERS: &[&str] = &[
    "FC",
    "AFC",
    "SC",
    "SV",
    "VfB",
    "VfL",
    "TSV",
    "TSG",
    "SpVgg",
    "Universität",
    "Hochschule",
    "Stadt",
    "Schauspielhaus",
    "Landgericht",
    "Amtsgericht",
    "Oberlandesgericht",
    "Klinikum",
];

/// Words that close one after a modifier: `Wiener Staatsoper`, `Manchester United`.
const ORG_CLOSERS: &[&str] = &[
    "United",
    "City",
    "Hotspur",
    "Albion",
    "Palace",
    "Rovers",
    "Wanderers",
    "Group",
    "AG",
    "SE",
    "GmbH",
    "Bank",
    "Times",
    "Post",
    "Zeitung",
    "Rundschau",
    "Opera",
    "Universität",
    "Hochschule",
    "Stiftung",
];

/// Endings of compound nouns that close one: `Staatsoper`, `Landestheater`, `Bundesamt`.
const ORG_CLOSER_ENDINGS: &[&str] = &[
    "oper",
    "theater",
    "bundesamt",
    "landesamt",
    "ministerium",
    "gericht",
    "institut",
];

/// A capitalised word that can be part of an organisation's name.
fn org_word(t: &Token) -> bool {
    t.text.chars().next().is_some_and(char::is_uppercase)
        && !t.text.chars().all(|c| c.is_ascii_digit())
}

/// An organisation named by its form at token `i`: its name and length in tokens.
fn organisation_at(toks: &[Token], i: usize) -> Option<(String, usize)> {
    let t = &toks[i];
    let lex = lexicon();
    // Every opener and modifier is capitalised: most words stop here.
    if !org_word(t) {
        return None;
    }
    if ORG_OPENERS.contains(&t.text) {
        let mut j = i + 1;
        while j < toks.len()
            && j < i + 3
            && org_word(&toks[j])
            && !toks[j].sentence_start
            && !toks[j].after_punct
        {
            j += 1;
        }
        if j > i + 1 {
            let name = toks[i..j]
                .iter()
                .map(|t| t.text)
                .collect::<Vec<_>>()
                .join(" ");
            return Some((name, j - i));
        }
        return None;
    }
    // A modifier (`Wiener`, `Bayerische`, `Statistisches`, `Leicester`) and a closer.
    // This runs for every word: the cheap checks come first.
    let next = toks.get(i + 1)?;
    if next.sentence_start || next.after_punct || !org_word(t) || !org_word(next) {
        return None;
    }
    let closes = ORG_CLOSERS.contains(&next.text) || {
        let lower = next.text.to_lowercase();
        let letters = next.text.chars().count();
        ORG_CLOSER_ENDINGS
            .iter()
            .any(|e| lower.ends_with(e) && letters > e.len() + 2)
    };
    let modifier =
        closes && !lex.not_actors.contains(t.text) && !t.text.chars().all(char::is_uppercase);
    modifier.then(|| (format!("{} {}", t.text, next.text), 2))
}

/// Particles that join the surnames of Portuguese, Spanish and Italian names.
const ROMANCE_PARTICLES: &[&str] = &["de", "da", "do", "dos", "del", "della", "di"];

const PARTICLES: &[&str] = &[
    "von", "van", "der", "de", "den", "da", "di", "del", "al", "bin", "ten", "zu",
];

/// The declined forms of an organisation's name that opens with an adjective:
/// `Statistisches Bundesamt` → `Statistischen Bundesamt(e)s`, `Statistischem
/// Bundesamt`; `Bayerische Staatsoper` → `Bayerischen Staatsoper`.
fn inflected_forms(name: &str) -> Vec<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let [adjective, noun, rest @ ..] = words.as_slice() else {
        return Vec::new();
    };
    let stem = ["es", "er", "e"]
        .iter()
        .find_map(|ending| adjective.strip_suffix(ending))
        .filter(|stem| stem.chars().count() >= 4 && stem.starts_with(char::is_uppercase));
    let Some(stem) = stem else {
        return Vec::new();
    };
    let tail = rest.join(" ");
    let join = |adj: String, noun: &str| {
        if tail.is_empty() {
            format!("{adj} {noun}")
        } else {
            format!("{adj} {noun} {tail}")
        }
    };
    let mut forms = vec![
        join(format!("{stem}en"), noun),
        join(format!("{stem}em"), noun),
    ];
    // Masculine and neuter heads take a genitive ending (`des Auswärtigen Amts`).
    if !adjective.ends_with('e') && !noun.ends_with('s') {
        forms.push(join(format!("{stem}en"), &format!("{noun}s")));
        forms.push(join(format!("{stem}en"), &format!("{noun}es")));
    }
    forms
}

/// Strips a genitive ending: `Putins` → `Putin`, `Pistorius'` keeps `Pistorius`.
fn without_genitive(word: &str) -> &str {
    word.strip_suffix('s')
        .filter(|w| w.chars().count() >= 3)
        .unwrap_or(word)
}

/// The canonical name of a known actor's alias (`Selensky` → `Wolodymyr Selenskyj`).
pub fn canonical_for(alias: &str) -> Option<&'static str> {
    match LEXICON.get() {
        Some(lexicon) => lexicon.aliases.get(alias).map(|(c, _)| c.as_str()),
        None => canonical_in_data(alias),
    }
}

/// `canonical_for` read off the data line by line, the first line naming
/// the alias winning as in the lexicon: a search asks for one or two names,
/// and building the whole lexicon for them took a third of its time.
fn canonical_in_data(alias: &str) -> Option<&'static str> {
    let is = |name: &str| name.split_whitespace().eq(alias.split(' '));
    for line in ACTORS_DATA
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let mut cols = line.split('\t').map(str::trim);
        let (Some(canonical), Some(kind)) = (cols.next(), cols.next()) else {
            continue;
        };
        let aliases = cols.next().unwrap_or_default();
        let names = || {
            std::iter::once(canonical)
                .chain(aliases.split(',').map(str::trim).filter(|s| !s.is_empty()))
        };
        if names().any(is)
            || (kind.starts_with("org") && names().flat_map(inflected_forms).any(|n| is(&n)))
        {
            return Some(canonical);
        }
    }
    None
}

/// Actors of a text, most mentioned first.
pub fn find_actors(text: &str) -> Vec<ActorMention> {
    actors_in(&tokens(text))
}

/// Actors among already tokenised words.
pub fn actors_in(toks: &[Token]) -> Vec<ActorMention> {
    let lex = lexicon();
    let gazetteer = Gazetteer::get();
    // canonical → (kind, role, mentions); insertion order kept for ties.
    let mut found: Vec<ActorMention> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::default();
    let mut used = vec![false; toks.len()];
    let mut window = String::new();
    // Asked up to three times per word: once here.
    let name_word: Vec<bool> = toks.iter().map(is_name_word).collect();
    let is_name_at = |k: usize| name_word.get(k).copied().unwrap_or(false);
    let mut add =
        |found: &mut Vec<ActorMention>, name: &str, kind: ActorKind, role: Option<String>| {
            match index.get(name) {
                Some(&i) => {
                    found[i].mentions += 1;
                    if found[i].role.is_none() {
                        found[i].role = role;
                    }
                }
                None => {
                    index.insert(name.to_string(), found.len());
                    found.push(ActorMention {
                        name: name.to_string(),
                        kind,
                        role,
                        mentions: 1,
                    });
                }
            }
        };

    // A role word right before a name, in the same sentence (`Sprecher. Weitere`
    // is no evidence).
    let role_before = |i: usize| -> Option<String> {
        if toks[i].sentence_start {
            return None;
        }
        let prev = toks.get(i.checked_sub(1)?)?;
        let last_part = prev.parts.last().copied().unwrap_or(prev.text);
        role_word(last_part).then(|| prev.text.to_string())
    };

    let mut i = 0;
    while i < toks.len() {
        // 1. Known aliases, longest first; also inside hyphenated words (`NATO-Sprecherin`).
        let may_be_alias = toks[i].is_capitalized()
            || toks[i]
                .text
                .as_bytes()
                .first()
                .is_some_and(|b| lex.lowercase_alias_initials[usize::from(*b & 0x7f)])
                && lex.lowercase_alias_starts.contains(toks[i].text);
        // An alias, or the genitive of a person's (`Putins`, `Selenskyjs`).
        let lookup = |key: &str| {
            lex.aliases.get(key).or_else(|| {
                key.strip_suffix('s').and_then(|stripped| {
                    lex.aliases
                        .get(stripped)
                        .filter(|(_, k)| *k == ActorKind::Person)
                })
            })
        };
        // The longest alias that starts here: windows grow one word at a
        // time while they open a longer alias (most stop after one look-up).
        let mut best = None;
        if may_be_alias && lex.alias_starts.contains(toks[i].text) {
            window.clear();
            window.push_str(toks[i].text);
            for len in 2..=lex.longest_alias.min(toks.len() - i) {
                window.push(' ');
                window.push_str(toks[i + len - 1].text);
                if let Some(hit) = lookup(&window) {
                    best = Some((len, hit));
                }
                if !lex.alias_prefixes.contains(window.as_str()) {
                    break;
                }
            }
        }
        if best.is_none() && may_be_alias {
            best = lookup(toks[i].text).map(|hit| (1, hit));
        }
        if let Some((len, (canonical, kind))) = best {
            let role = if *kind == ActorKind::Person {
                role_before(i)
            } else {
                None
            };
            add(&mut found, canonical, *kind, role);
            used[i..i + len].iter_mut().for_each(|u| *u = true);
            i += len;
            continue;
        }
        let tok = &toks[i];
        if tok.parts.len() > 1 {
            for part in &tok.parts {
                if let Some((canonical, kind)) = lex.aliases.get(*part) {
                    add(&mut found, canonical, *kind, None);
                }
            }
        }
        // 2. Organisations named by their form: `FC Arsenal`, `Universität Stuttgart`,
        //    `Wiener Staatsoper`, `Statistisches Bundesamt`, `Leicester City`.
        if let Some((name, len)) = organisation_at(toks, i) {
            add(&mut found, &name, ActorKind::Organisation, None);
            used[i..i + len].iter_mut().for_each(|u| *u = true);
            i += len;
            continue;
        }
        // 3. New people: First [Middle] [particles] Last, with evidence.
        if name_word[i] && !lex.not_actors.contains(tok.text) {
            let first_name = gazetteer.is_first_name(tok.text);
            // The role is looked up only when it is needed as evidence or as output.
            let mut role = if first_name { None } else { role_before(i) };
            // A place or country is no given name (`Der Bürgermeister Wiens, Stefan …`).
            let evidence = (first_name || role.is_some()) && !gazetteer.names_place(tok.text);
            if evidence {
                // First [Second given name] [particles] Surname, then stop:
                // what follows a name is a noun, a title or a role.
                let mut j = i + 1;
                let mut name_words = vec![tok.text];
                let mut has_surname = false;
                while j < toks.len() && !has_surname {
                    let t = &toks[j];
                    if PARTICLES.contains(&t.text) && is_name_at(j + 1) {
                        name_words.push(t.text);
                        j += 1;
                        continue;
                    }
                    let usable = name_word[j]
                        && !t.sentence_start
                        && !t.after_punct
                        && !lex.not_actors.contains(t.text)
                        && !role_word(t.parts.last().copied().unwrap_or(t.text))
                        && !gazetteer.names_place(t.text);
                    if !usable {
                        break;
                    }
                    name_words.push(t.text);
                    j += 1;
                    // A second given name lets the sequence go on (`Frank Walter Steinmeier`).
                    has_surname = !(name_words.len() == 2
                        && gazetteer.is_first_name(t.text)
                        && is_name_at(j));
                }
                // Romance surnames after the first: `Pereira de Carvalho`,
                // `de Oliveira Adão`, `da Silva`.
                while has_surname
                    && toks
                        .get(j)
                        .is_some_and(|t| ROMANCE_PARTICLES.contains(&t.text))
                    && is_name_at(j + 1)
                    && !toks[j + 1].after_punct
                    && !lex.not_actors.contains(toks[j + 1].text)
                {
                    name_words.push(toks[j].text);
                    name_words.push(toks[j + 1].text);
                    j += 2;
                    if let Some(t) = toks.get(j).filter(|t| {
                        is_name_at(j)
                            && !t.after_punct
                            && !t.sentence_start
                            && !lex.not_actors.contains(t.text)
                            && !role_word(t.parts.last().copied().unwrap_or(t.text))
                            && !gazetteer.names_place(t.text)
                    }) {
                        name_words.push(t.text);
                        j += 1;
                    }
                }
                let ends_in_particle = name_words.last().is_some_and(|w| PARTICLES.contains(w));
                if name_words.len() >= 2 && !ends_in_particle {
                    if first_name {
                        role = role_before(i);
                    }
                    let mut name = name_words.join(" ");
                    if let Some((canonical, kind)) = lex.aliases.get(&name) {
                        add(&mut found, &canonical.clone(), *kind, role);
                    } else {
                        // A trailing genitive: `Boris Pistorius'` is cut by the
                        // segmentation; `Olaf Scholz's` rarely occurs.
                        if name.ends_with("'s") {
                            name.truncate(name.len() - 2);
                        }
                        // `Franz Kafkas Roman`: a name in the genitive before the noun it owns.
                        let owns_next = toks.get(j).is_some_and(|t| {
                            t.is_capitalized() && !t.sentence_start && !t.after_punct
                        });
                        let last_len = name_words.last().map_or(0, |w| w.chars().count());
                        if owns_next
                            && name.ends_with('s')
                            && !name.ends_with("ss")
                            // `Alvis Hermanis Inszenierung`: -is, -us and -os belong to the name.
                            && !name.ends_with("is")
                            && !name.ends_with("us")
                            && !name.ends_with("os")
                            && last_len >= 5
                        {
                            name.pop();
                        }
                        if let Some((canonical, kind)) = lex.aliases.get(&name) {
                            add(&mut found, &canonical.clone(), *kind, role);
                        } else {
                            add(&mut found, &name, ActorKind::Person, role);
                        }
                    }
                    used[i..j].iter_mut().for_each(|u| *u = true);
                    i = j;
                    continue;
                }
            }
        }
        i += 1;
    }

    // 3. Surnames alone count for the full name met in the article.
    let mut by_surname: HashMap<String, Option<usize>> = HashMap::default();
    for (n, actor) in found.iter().enumerate() {
        if actor.kind != ActorKind::Person || !actor.name.contains(' ') {
            continue;
        }
        let surname = actor
            .name
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        by_surname
            .entry(surname)
            .and_modify(|e| *e = None)
            .or_insert(Some(n));
    }
    for ((t, used), name) in toks.iter().zip(&used).zip(&name_word) {
        if *used || !name {
            continue;
        }
        let hit = by_surname
            .get(t.text)
            .or_else(|| by_surname.get(without_genitive(t.text)))
            .copied()
            .flatten();
        if let Some(n) = hit {
            found[n].mentions += 1;
        }
    }
    merge_genitive_names(&mut found);
    found.sort_by_key(|a| std::cmp::Reverse(a.mentions));
    found
}

/// `Max Frischs Klassiker`: a name met once in the genitive joins the same
/// name met without the `s`.
fn merge_genitive_names(found: &mut Vec<ActorMention>) {
    let names: HashSet<String> = found.iter().map(|a| a.name.clone()).collect();
    let mut merged: Vec<(usize, String)> = Vec::new();
    for (i, a) in found.iter().enumerate() {
        if a.kind != ActorKind::Person {
            continue;
        }
        if let Some(base) = a.name.strip_suffix('s')
            && names.contains(base)
        {
            merged.push((i, base.to_string()));
        }
    }
    for (i, base) in merged.iter().rev() {
        let extra = found[*i].mentions;
        if let Some(target) = found.iter_mut().find(|a| &a.name == base) {
            target.mentions += extra;
        }
        found.remove(*i);
    }
}

/// Whether a word is a role noun or ends with one: `US-Außenamtssprecher`,
/// `Sprecherin`, `Verteidigungsminister`, `Militärgeheimdienstchef`.
fn role_word(word: &str) -> bool {
    if !word.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let roles = &lexicon().roles;
    // Most capitalised words are nouns that end in no role: check the last
    // three letters against the roles' endings before anything else.
    let Some((tail_at, _)) = word.char_indices().rev().nth(2) else {
        return false;
    };
    let tail = &word[tail_at..];
    let mut lowered = [0u8; 16];
    let tail = if tail.len() <= lowered.len() && tail.is_ascii() {
        lowered[..tail.len()].copy_from_slice(tail.as_bytes());
        lowered[..tail.len()].make_ascii_lowercase();
        std::str::from_utf8(&lowered[..tail.len()]).unwrap_or(tail)
    } else {
        &tail.to_lowercase()
    };
    if !lexicon().role_tails.contains(tail) {
        return false;
    }
    let lower = word.to_lowercase();
    let bases = [
        Some(lower.as_str()),
        lower.strip_suffix("innen"),
        lower.strip_suffix("in"),
        lower.strip_suffix('s'),
        lower.strip_suffix("en"),
        lower.strip_suffix('n'),
    ];
    bases.into_iter().flatten().any(|base| {
        // Every suffix of the word that starts at a character boundary.
        base.char_indices()
            .any(|(at, _)| roles.contains(&base[at..]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_looked_up_in_the_data_is_the_lexicon_s() {
        assert_eq!(canonical_in_data("Selensky"), Some("Wolodymyr Selenskyj"));
        assert_eq!(canonical_in_data("Niemand Bekanntes"), None);
        let lexicon = lexicon();
        assert!(lexicon.aliases.len() > 1000, "{}", lexicon.aliases.len());
        for (alias, (canonical, _)) in &lexicon.aliases {
            assert_eq!(
                canonical_in_data(alias),
                Some(canonical.as_str()),
                "{alias}"
            );
        }
    }

    fn names(text: &str) -> Vec<String> {
        find_actors(text).into_iter().map(|a| a.name).collect()
    }

    #[test]
    fn role_and_first_name_evidence() {
        let found = find_actors(
            "US-Außenamtssprecher John Kirby sagte, es sei wahrscheinlich, sagte Kirby.",
        );
        assert_eq!(found[0].name, "John Kirby");
        assert_eq!(found[0].mentions, 2);
        assert_eq!(found[0].role.as_deref(), Some("US-Außenamtssprecher"));
        assert!(
            names("Laut Militärgeheimdienstchef Kyrylo Budanow sei die Lage angespannt.")
                .contains(&"Kyrylo Budanow".to_string())
        );
    }

    #[test]
    fn genitive_surnames_count() {
        let found = find_actors(
            "Verteidigungsminister Boris Pistorius reiste ab. Pistorius' Besuch war kurz.",
        );
        assert_eq!(found[0].name, "Boris Pistorius");
        assert_eq!(found[0].mentions, 2);
    }

    #[test]
    fn credits_and_headings_are_not_actors() {
        let text = "Russland zieht ab\n\nAPA/AFP/Justin Tallis\n\nDennoch Russland sagte nichts.";
        assert!(!names(text).iter().any(|n| n.contains("Tallis")));
        assert!(names(text).is_empty(), "{:?}", names(text));
    }
}
