//! What the speech key reads aloud: the current screen's essentials, in its language, as
//! sentences a listener can follow (issue #17). Home: each theme with its key; a result list:
//! the selected row; a detail page: name, summary, open status, address and how to get in
//! touch. A pure function of the state, like a view; `App::speak` sends it to the runtime.

use super::app::{App, Screen};
use super::view::{detail, theme_label};
use crate::catalogue::Initiative;

/// The text to read on this screen, or None where there is nothing to read (help, about).
pub fn script(app: &App) -> Option<String> {
    let parts = match app.screen() {
        Screen::Home => home(app),
        Screen::Results | Screen::Map => row(app),
        Screen::Detail => details(app, app.visit().detail.as_ref()?),
        Screen::Help | Screen::About | Screen::Shortlist | Screen::Review | Screen::Edit => return None,
    };
    // Catalogue text was cleaned at import; once more, for a program's input.
    let text = parts.iter().map(|p| crate::text::sanitize_line(p.trim())).filter(|p| !p.is_empty()).collect::<Vec<_>>();
    (!text.is_empty()).then(|| text.join("\n"))
}

/// "Choisissez un thème en tapant son chiffre. Touche 1 : Se nourrir. …"
fn home(app: &App) -> Vec<String> {
    let s = app.strings();
    let mut out = vec![s.get("speech.home").to_string()];
    for theme in &app.reference().themes {
        out.push(s.fmt("speech.theme", &[("key", &theme.key), ("label", theme_label(app, theme))]));
    }
    out
}

/// "Résultat 2 sur 15. Name. Summary. Ouvert maintenant, ferme à 18:00. Nanterre. Touche
/// Entrée : en savoir plus."
fn row(app: &App) -> Vec<String> {
    let s = app.strings();
    let Some(item) = app.selected_initiative() else {
        return vec![s.get("speech.no_results").to_string()];
    };
    let n = (app.visit().selected + 1).to_string();
    let total = app.result_count().to_string();
    let mut out = vec![s.fmt("speech.row", &[("n", &n), ("total", &total)]), sentence(&item.name)];
    // The summary the screen shows: the visitor's language where translated.
    let (summary, _) = item.summary_for(&app.strings().lang);
    if !summary.is_empty() {
        out.push(sentence(summary));
    }
    out.extend(status(app, item));
    out.push(sentence(&super::view::results::place_of(app, item)));
    out.push(s.get("speech.open_hint").to_string());
    out
}

/// Name, summary, open status, address, phone, e-mail, website.
fn details(app: &App, item: &Initiative) -> Vec<String> {
    let s = app.strings();
    let mut out = vec![sentence(&item.name)];
    // The summary the screen shows: the visitor's language where translated.
    let (summary, _) = item.summary_for(&app.strings().lang);
    if !summary.is_empty() {
        out.push(sentence(summary));
    }
    // No hours at all: what the page advises instead (call, the website, the desk).
    out.push(status(app, item).unwrap_or_else(|| s.get(detail::hours_unknown_key(item)).to_string()));
    let commune = app.reference().commune_by_code(&item.commune).map_or("", |c| c.name.as_str());
    let address =
        [item.address.as_str(), commune].iter().filter(|x| !x.is_empty()).copied().collect::<Vec<_>>().join(", ");
    let field = |key: &str, value: &str| {
        (!value.is_empty()).then(|| sentence(&format!("{}{}{value}", s.get(key), s.get("app.colon"))))
    };
    out.extend(field("detail.address", &address));
    out.extend(field("detail.phone", &item.phone));
    out.extend(field("detail.email", &item.email));
    out.extend(field("detail.website", &item.website));
    out
}

/// The open status as the detail page says it ("Ouvert maintenant, ferme à 18:00").
fn status(app: &App, item: &Initiative) -> Option<String> {
    if crate::mark::closed_for_now(item, app.now()) {
        return Some(sentence(app.strings().get("detail.warning_closed")));
    }
    detail::status_sentence(app, item).map(|(text, _)| sentence(&text))
}

/// A full stop at the end, so the voice pauses between facts.
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', '…']) { text.to_string() } else { format!("{text}.") }
}
