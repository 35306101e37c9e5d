//! The parser: clauses, appointments, holidays, closures and groups, and the OSM string they
//! make. Its reading of days, dates and times is in [`super::calendar`].

use super::*;

pub(super) struct P<'a> {
    pub(super) toks: &'a [Tok],
    pub(super) i: usize,
    pub(super) groups: Vec<Group>,
    pub(super) offs: Vec<Off>,
    pub(super) global_comment: Option<String>,
    pub(super) ph_off: bool,
}

impl P<'_> {
    pub(super) fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }
    pub(super) fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.toks.get(self.i + n)
    }
    pub(super) fn eat_w(&mut self, words: &[&str]) -> bool {
        if is_w(self.peek(), words) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    pub(super) fn eat_p(&mut self, chars: &[char]) -> bool {
        if matches!(self.peek(), Some(Tok::P(c)) if chars.contains(c)) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    pub(super) fn eat_seq(&mut self, words: &[&str]) -> bool {
        let ok = words.iter().enumerate().all(|(n, w)| is_w(self.peek_at(n), &[w]));
        if ok {
            self.i += words.len();
        }
        ok
    }

    pub(super) fn fail(&self, reason: &'static str) -> Unreadable {
        let mut near = Vec::new();
        for t in &self.toks[self.i.min(self.toks.len())..] {
            match t {
                Tok::P(';') | Tok::P('.') => break,
                Tok::W(w) => near.push(w.clone()),
                Tok::N(n) => near.push(n.to_string()),
                Tok::Ord(n) => near.push(format!("{n}e")),
                Tok::T(m) => near.push(format!("{}h{:02}", m / 60, m % 60)),
                Tok::P(c) => near.push(c.to_string()),
            }
        }
        Unreadable { near: near.join(" "), reason }
    }

    pub(super) fn clauses(&mut self) -> Result<(), Unreadable> {
        while self.i < self.toks.len() {
            if self.eat_p(&[';', '.', ',', '/', ':', '(', ')', '-', '|', '!', '*', '&'])
                || self.eat_w(&["et", "puis", "ainsi", "que"])
            {
                continue;
            }
            if self.appointment()? {
                continue;
            }
            if self.closure()? {
                continue;
            }
            if self.eat_w(FILLER) {
                continue;
            }
            let start = self.i;
            if self.group()? {
                continue;
            }
            self.i = start;
            return Err(self.fail("texte non reconnu"));
        }
        Ok(())
    }

    /// "sur rendez-vous", "sur rdv", "sans rendez-vous", "sur inscription".
    pub(super) fn comment(&mut self) -> Option<String> {
        let save = self.i;
        self.eat_p(&['(']);
        self.eat_w(&["uniquement", "seulement", "exclusivement"]);
        let c = if self.eat_w(&["sur", "avec"]) {
            if self.eat_w(&["rendez-vous", "rdv"]) || self.eat_seq(&["rendez", "vous"]) {
                Some("sur rendez-vous")
            } else if self.eat_w(&["inscription"]) {
                Some("sur inscription")
            } else {
                None
            }
        } else if self.eat_w(&["sans"]) {
            if self.eat_w(&["rendez-vous", "rdv"]) || self.eat_seq(&["rendez", "vous"]) {
                Some("sans rendez-vous")
            } else {
                None
            }
        } else if self.eat_w(&["rendez-vous", "rdv"]) {
            Some("sur rendez-vous")
        } else {
            None
        };
        match c {
            Some(c) => {
                self.eat_w(&["uniquement", "seulement"]);
                self.eat_p(&[')']);
                Some(c.to_string())
            }
            None => {
                self.i = save;
                None
            }
        }
    }

    pub(super) fn appointment(&mut self) -> Result<bool, Unreadable> {
        match self.comment() {
            Some(c) => {
                self.global_comment.get_or_insert(c);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// "jours fériés", "les jours fériés", "fériés".
    pub(super) fn holidays(&mut self) -> bool {
        let save = self.i;
        self.eat_w(&["les", "le", "des"]);
        if self.eat_w(&["jours", "jour"]) {
            if self.eat_w(&["feries", "ferie"]) {
                return true;
            }
        } else if self.eat_w(&["feries", "jf"]) {
            return true;
        }
        self.i = save;
        false
    }

    /// "fermé le mercredi", "fermé en août", "fermé du 20 décembre au 4 janvier", "sauf jours
    /// fériés", "fermeture annuelle en août".
    pub(super) fn closure(&mut self) -> Result<bool, Unreadable> {
        let save = self.i;
        if !self.eat_w(&["ferme", "fermee", "fermes", "fermees", "fermeture", "fermetures", "sauf", "excepte", "hors"])
        {
            return Ok(false);
        }
        self.eat_w(&["annuelle", "exceptionnelle", "estivale"]);
        self.eat_p(&[':']);
        let mut any = false;
        loop {
            self.eat_w(&["le", "les", "la", "l'", "tous"]);
            if self.holidays() {
                self.ph_off = true;
            } else if let Some(when) = self.dates()? {
                self.offs.push(Off { when, days: None });
            } else if let Some(days) = self.days()? {
                if is_w(self.peek(), &["matin", "apres-midi", "soir", "midi"]) {
                    return Err(self.fail("fermeture d'une partie de la journée : précisez les heures d'ouverture"));
                }
                self.add_off(Off { when: When::Always, days: Some(days) });
            } else if is_w(self.peek(), &["vacances", "pendant", "periode", "periodes"]) {
                return Err(self.fail("les vacances scolaires ne sont pas connues de la borne : donnez des dates"));
            } else {
                if !any {
                    self.i = save;
                    return Ok(false);
                }
                return Err(self.fail("fermeture non reconnue"));
            }
            any = true;
            if !(self.eat_w(&["et"]) || self.eat_p(&[','])) {
                break;
            }
            if !self.starts_closure_item() {
                // "…, le samedi de 9h à 12h": a new clause, not another closure.
                self.i -= 1;
                break;
            }
        }
        Ok(true)
    }

    pub(super) fn starts_closure_item(&self) -> bool {
        let mut j = self.i;
        while is_w(self.toks.get(j), &["le", "les", "la", "l'", "tous", "en", "du", "au", "mois", "des"]) {
            j += 1;
        }
        match self.toks.get(j) {
            Some(Tok::W(w)) => {
                let days_follow = weekday(w).is_some()
                    && !matches!(self.toks.get(j + 1), Some(Tok::T(_)))
                    && !is_w(self.toks.get(j + 1), &["de", "au", "a", "des"])
                    && !matches!(self.toks.get(j + 1), Some(Tok::P('-') | Tok::P(':')));
                days_follow || month(w).is_some() || w == "jours" || w == "feries"
            }
            Some(Tok::N(_) | Tok::Ord(_)) => true,
            _ => false,
        }
    }

    /// One rule: days and hours in either order, a period of the year, a comment.
    pub(super) fn group(&mut self) -> Result<bool, Unreadable> {
        let start = self.i;
        let mut when = self.dates()?.unwrap_or(When::Always);
        self.eat_p(&[',', ':']);
        let mut days = self.days()?;
        self.eat_p(&[':']);
        // "Du lundi au vendredi, de 9h à 17h": the comma does not end the rule.
        if days.is_some() && matches!(self.peek(), Some(Tok::P(','))) && self.times_follow(1) {
            self.i += 1;
        }
        let mut period = self.period();
        self.eat_p(&[':']);
        if let Some(d) = &days
            && self.eat_w(&["ferme", "fermee", "fermes", "fermees", "fermeture"])
        {
            // "Samedi : fermé"
            self.add_off(Off { when: when.clone(), days: Some(d.clone()) });
            return Ok(true);
        }
        let mut comment = self.comment();
        let times = self.times()?;
        if days.is_none() && !times.is_empty() {
            self.eat_p(&[',']);
            days = self.days()?;
        }
        if period.is_none() {
            period = self.period();
        }
        if matches!(when, When::Always)
            && let Some(w) = self.dates()?
        {
            when = w;
        }
        if comment.is_none() {
            comment = self.comment();
        }
        if days.is_none() && times.is_empty() && period.is_none() {
            self.i = start;
            return Ok(false);
        }
        if let Some(d) = &days
            && d.is_empty()
        {
            return Err(self.fail("jours non reconnus"));
        }
        // A day without hours: open at some point, hours to be confirmed.
        let unknown = times.is_empty();
        let comment = match (period, comment) {
            (Some(p), None) if times.is_empty() => Some(p.to_string()),
            (Some(p), Some(c)) if times.is_empty() => Some(format!("{p}, {c}")),
            (_, c) => c,
        };
        self.add_group(Group { when, days, times, unknown, comment });
        Ok(true)
    }

    pub(super) fn add_group(&mut self, g: Group) {
        // "lundi 9h-12h, lundi 14h-17h": one day, two parts.
        if let Some(prev) = self.groups.iter_mut().find(|p| {
            p.days == g.days && p.when == g.when && p.comment == g.comment && p.unknown == g.unknown && !g.unknown
        }) {
            prev.times.extend(g.times);
            return;
        }
        // "lundi 9h-12h, mardi 9h-12h": same hours, more days.
        if let Some(prev) = self.groups.last_mut()
            && prev.times == g.times
            && prev.when == g.when
            && prev.comment == g.comment
            && prev.unknown == g.unknown
            && let (Some(a), Some(b)) = (&mut prev.days, &g.days)
            && a.nth.is_empty()
            && b.nth.is_empty()
            && !a.overlaps(b)
        {
            for d in 0..7 {
                a.week[d] |= b.week[d];
            }
            a.ph |= b.ph;
            return;
        }
        self.groups.push(g);
    }

    /// "Samedi : fermé ; dimanche : fermé" → `Sa,Su off`.
    pub(super) fn add_off(&mut self, o: Off) {
        if let Some(prev) = self.offs.last_mut()
            && prev.when == o.when
            && let (Some(a), Some(b)) = (&mut prev.days, &o.days)
            && a.nth.is_empty()
            && b.nth.is_empty()
        {
            for d in 0..7 {
                a.week[d] |= b.week[d];
            }
            a.ph |= b.ph;
            return;
        }
        self.offs.push(o);
    }

    pub(super) fn emit(&self) -> String {
        let mut rules: Vec<String> = Vec::new();
        for (n, g) in self.groups.iter().enumerate() {
            let mut g = g.clone();
            if g.comment.is_none() {
                g.comment = self.global_comment.clone();
            }
            let text = g.osm();
            // A later rule on days already given adds to them ("et le mercredi de 14h à 17h"):
            // with ";" it would replace them.
            let overlaps = self.groups[..n].iter().any(|p| match (&p.days, &g.days) {
                (Some(a), Some(b)) => a.overlaps(b) && p.when == g.when,
                (None, _) | (_, None) => p.when == g.when,
            });
            if overlaps && let Some(last) = rules.last_mut() {
                last.push_str(", ");
                last.push_str(&text);
            } else {
                rules.push(text);
            }
        }
        if self.groups.is_empty()
            && let Some(c) = &self.global_comment
        {
            rules.push(format!("\"{c}\""));
        }
        for o in &self.offs {
            let mut s = o.when.osm();
            if let Some(d) = &o.days {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(&d.osm());
            }
            s.push_str(" off");
            rules.push(s);
        }
        if self.ph_off {
            rules.push("PH off".into());
        }
        rules.join("; ")
    }
}
