//! The parser's reading of days ("du lundi au vendredi", "le 1er samedi du mois"), dates
//! and months ("du 20 décembre au 4 janvier", "en août") and times ("de 9h à 12h",
//! "le matin").

use super::*;

impl P<'_> {
    /// A date, a date range or months: "en août", "au mois d'août", "du 20 décembre au 4
    /// janvier", "le 25 décembre", "du 24/12 au 02/01", "de juin à septembre".
    pub(super) fn dates(&mut self) -> Result<Option<When>, Unreadable> {
        let save = self.i;
        self.eat_w(&["du", "de", "a", "en", "au", "d'"]);
        if self.eat_w(&["mois"]) {
            self.eat_w(&["d'", "de"]);
        }
        let first = self.date_or_month();
        let Some(first) = first else {
            self.i = save;
            return Ok(None);
        };
        let to = if self.eat_w(&["au", "a"])
            || self.eat_p(&['-'])
            || (self.eat_w(&["jusqu'"]) && self.eat_w(&["au", "a", "en"]))
        {
            self.eat_w(&["mois"]);
            match self.date_or_month() {
                Some(x) => Some(x),
                None => return Err(self.fail("fin de période non reconnue")),
            }
        } else {
            None
        };
        Ok(Some(match (first, to) {
            (DM::Month(a), None) => {
                let mut m = [false; 12];
                m[a] = true;
                // "en juillet et août"
                while is_w(self.peek(), &["et"]) || matches!(self.peek(), Some(Tok::P(','))) {
                    let save = self.i;
                    self.i += 1;
                    self.eat_w(&["en"]);
                    match self.peek() {
                        Some(Tok::W(w)) if month(w).is_some() => {
                            m[month(w).unwrap_or(0)] = true;
                            self.i += 1;
                        }
                        _ => {
                            self.i = save;
                            break;
                        }
                    }
                }
                When::Months(m)
            }
            (DM::Month(a), Some(DM::Month(b))) => {
                let mut m = [false; 12];
                let mut k = a;
                loop {
                    m[k] = true;
                    if k == b {
                        break;
                    }
                    k = (k + 1) % 12;
                }
                When::Months(m)
            }
            (DM::Date(d), None) => When::Date(d),
            (DM::Date(a), Some(DM::Date(b))) => When::Dates(a, b),
            (DM::Day(a), Some(DM::Date(b))) => When::Dates(Date { year: b.year, month: b.month, day: a }, b),
            _ => return Err(self.fail("période non reconnue")),
        }))
    }

    pub(super) fn date_or_month(&mut self) -> Option<DM> {
        let save = self.i;
        self.eat_w(&["le"]);
        match self.peek().cloned() {
            Some(Tok::W(w)) if month(&w).is_some() => {
                self.i += 1;
                let m = month(&w)?;
                if let Some(Tok::N(y)) = self.peek()
                    && (1990..2200).contains(y)
                {
                    // "août 2027" as a month of one year is not supported: say so by not matching.
                    self.i = save;
                    return None;
                }
                Some(DM::Month(m))
            }
            Some(Tok::N(d) | Tok::Ord(d)) if (1..=31).contains(&d) => {
                self.i += 1;
                // 24/12 or 24/12/2026
                if matches!(self.peek(), Some(Tok::P('/'))) {
                    if let Some(Tok::N(m)) = self.peek_at(1).cloned()
                        && (1..=12).contains(&m)
                    {
                        self.i += 2;
                        let mut year = None;
                        if matches!(self.peek(), Some(Tok::P('/')))
                            && let Some(Tok::N(y)) = self.peek_at(1).cloned()
                        {
                            self.i += 2;
                            year = Some(if y < 100 { 2000 + y } else { y });
                        }
                        if d > last_day(m as usize - 1) {
                            self.i = save;
                            return None;
                        }
                        return Some(DM::Date(Date { year, month: m as usize - 1, day: d }));
                    }
                    self.i = save;
                    return None;
                }
                match self.peek().cloned() {
                    Some(Tok::W(w)) if month(&w).is_some() => {
                        self.i += 1;
                        let m = month(&w)?;
                        if d > last_day(m) {
                            self.i = save;
                            return None;
                        }
                        let mut year = None;
                        if let Some(Tok::N(y)) = self.peek().cloned()
                            && (1990..2200).contains(&y)
                        {
                            self.i += 1;
                            year = Some(y);
                        }
                        Some(DM::Date(Date { year, month: m, day: d }))
                    }
                    // "du 1er au 15 août": a day whose month comes after.
                    _ if is_w(self.peek(), &["au"]) => Some(DM::Day(d)),
                    _ => {
                        self.i = save;
                        None
                    }
                }
            }
            _ => {
                self.i = save;
                None
            }
        }
    }

    /// Days: "du lundi au vendredi", "lundi-vendredi", "Lu-Ve", "mardi et jeudi", "les lundis",
    /// "tous les jours", "en semaine", "le week-end", "le 1er samedi du mois", "les jours fériés".
    pub(super) fn days(&mut self) -> Result<Option<Days>, Unreadable> {
        let save = self.i;
        let mut d = Days::default();
        let mut any = false;
        loop {
            let item_start = self.i;
            self.eat_w(&["le", "les", "la", "du", "tous", "chaque", "et"]);
            if self.eat_w(&["jours", "jour"]) && !self.eat_w(&["feries", "ferie"]) {
                if self.eat_w(&["ouvres", "ouvre"]) {
                    d.week[..5].iter_mut().for_each(|x| *x = true);
                } else if self.eat_w(&["ouvrables", "ouvrable"]) {
                    d.week[..6].iter_mut().for_each(|x| *x = true);
                } else {
                    // "tous les jours"
                    d.week = [true; 7];
                }
                any = true;
            } else if matches!(self.toks.get(self.i.wrapping_sub(1)), Some(Tok::W(w)) if w == "feries" || w == "ferie")
            {
                d.ph = true;
                any = true;
            } else if self.eat_w(&["tlj", "7j7", "quotidien", "quotidiennement"]) {
                d.week = [true; 7];
                any = true;
            } else if self.eat_w(&["semaine"]) || self.eat_seq(&["en", "semaine"]) {
                d.week[..5].iter_mut().for_each(|x| *x = true);
                any = true;
            } else if self.eat_w(&["week-end", "weekend", "we"]) || self.eat_seq(&["fin", "de", "semaine"]) {
                d.week[5] = true;
                d.week[6] = true;
                any = true;
            } else if self.eat_w(&["feries", "jf"]) {
                d.ph = true;
                any = true;
            } else if let Some(nths) = self.ordinals() {
                let Some(Tok::W(w)) = self.peek().cloned() else {
                    return Err(self.fail("jour attendu après le rang"));
                };
                let Some(wd) = weekday(&w) else { return Err(self.fail("jour attendu après le rang")) };
                self.i += 1;
                if !self.eat_seq(&["du", "mois"])
                    && !self.eat_seq(&["de", "chaque", "mois"])
                    && !self.eat_seq(&["de", "mois"])
                {
                    return Err(self.fail("« du mois » attendu"));
                }
                if !d.nth.is_empty() && d.nth != nths {
                    return Err(self.fail("rangs différents selon les jours"));
                }
                d.week[wd] = true;
                d.nth = nths;
                any = true;
            } else if let Some(Tok::W(w)) = self.peek().cloned()
                && let Some(a) = weekday(&w)
            {
                self.i += 1;
                self.eat_p(&['.']);
                // "lundi au vendredi", "Lu-Ve"; not "vendredi à partir de 18h".
                let to_day = |t: Option<&Tok>| matches!(t, Some(Tok::W(w)) if weekday(w).is_some());
                let range_word = (is_w(self.peek(), &["au", "a"]) || matches!(self.peek(), Some(Tok::P('-'))))
                    && (to_day(self.peek_at(1)) || (is_w(self.peek_at(1), &["le"]) && to_day(self.peek_at(2))));
                if range_word {
                    self.i += 1;
                }
                if range_word {
                    self.eat_w(&["le"]);
                    let Some(Tok::W(w2)) = self.peek().cloned() else { return Err(self.fail("jour de fin attendu")) };
                    let Some(b) = weekday(&w2) else { return Err(self.fail("jour de fin attendu")) };
                    self.i += 1;
                    self.eat_p(&['.']);
                    let mut k = a;
                    loop {
                        d.week[k] = true;
                        if k == b {
                            break;
                        }
                        k = (k + 1) % 7;
                    }
                } else {
                    d.week[a] = true;
                }
                if !d.nth.is_empty() && !self.eat_seq(&["du", "mois"]) {
                    return Err(self.fail("rangs différents selon les jours"));
                }
                any = true;
            } else {
                self.i = item_start;
                break;
            }
            // "mardi et jeudi", "lundi, mardi", "dimanche et jours fériés"
            let sep_at = self.i;
            if self.eat_w(&["et"]) || self.eat_p(&[',', '/', '&']) {
                if self.next_is_day_item() {
                    continue;
                }
                self.i = sep_at;
            }
            break;
        }
        if !any {
            self.i = save;
            return Ok(None);
        }
        Ok(Some(d))
    }

    pub(super) fn next_is_day_item(&self) -> bool {
        let mut j = self.i;
        while is_w(self.toks.get(j), &["le", "les", "la", "du", "tous", "chaque"]) {
            j += 1;
        }
        match self.toks.get(j) {
            Some(Tok::W(w)) => {
                weekday(w).is_some()
                    || ordinal_word(w).is_some()
                    || matches!(w.as_str(), "jours" | "feries" | "jf" | "week-end" | "weekend")
            }
            Some(Tok::Ord(_)) => true,
            _ => false,
        }
    }

    /// "1er", "2e et 4e", "premier et troisième", "dernier".
    pub(super) fn ordinals(&mut self) -> Option<Vec<i32>> {
        let save = self.i;
        let mut out = Vec::new();
        loop {
            match self.peek().cloned() {
                Some(Tok::Ord(n)) if (1..=5).contains(&n) => {
                    self.i += 1;
                    out.push(n as i32);
                }
                Some(Tok::W(w)) if ordinal_word(&w).is_some() => {
                    self.i += 1;
                    out.push(ordinal_word(&w).unwrap_or(1));
                }
                _ => break,
            }
            if !(is_w(self.peek(), &["et"]) || matches!(self.peek(), Some(Tok::P(',')))) {
                break;
            }
            let skip = if is_w(self.peek_at(1), &["le", "les"]) { 2 } else { 1 };
            match self.peek_at(skip) {
                Some(Tok::Ord(_)) => self.i += skip,
                Some(Tok::W(w)) if ordinal_word(w).is_some() => self.i += skip,
                _ => break,
            }
        }
        if out.is_empty() {
            self.i = save;
            None
        } else {
            out.sort_by_key(|n| if *n < 0 { 100 } else { *n });
            Some(out)
        }
    }

    pub(super) fn time(&mut self) -> Option<u32> {
        match self.peek().cloned() {
            Some(Tok::T(m)) => {
                self.i += 1;
                Some(m)
            }
            Some(Tok::W(w)) if w == "midi" => {
                self.i += 1;
                Some(12 * 60)
            }
            Some(Tok::W(w)) if w == "minuit" => {
                self.i += 1;
                Some(24 * 60)
            }
            _ => None,
        }
    }

    /// "de 9h à 12h et de 14h à 17h30", "9h-12h / 14h-17h", "à partir de 17h", "24h/24".
    pub(super) fn times(&mut self) -> Result<Vec<Range>, Unreadable> {
        let mut out = Vec::new();
        loop {
            let save = self.i;
            self.eat_w(&["de", "entre", "des", "a"]);
            if self.eat_w(&["24h24"]) {
                out.push(Range { start: 0, end: 24 * 60, open_end: false });
            } else if self.eat_seq(&["partir", "de"])
                || (is_w(self.toks.get(self.i.wrapping_sub(1)), &["des"]) && matches!(self.peek(), Some(Tok::T(_))))
            {
                let Some(a) = self.time() else { return Err(self.fail("heure attendue après « à partir de »")) };
                out.push(Range { start: a % (24 * 60), end: 24 * 60, open_end: true });
            } else if let Some(a) = self.time() {
                let range_start = self.i - 1;
                if !(self.eat_w(&["a", "au", "et"])
                    || self.eat_p(&['-', '/', '>'])
                    || (self.eat_w(&["jusqu'"]) && self.eat_w(&["a"])))
                {
                    self.i = range_start;
                    return Err(self.fail("heure de fin attendue"));
                }
                let Some(b) = self.time() else {
                    self.i = range_start;
                    return Err(self.fail("heure de fin attendue"));
                };
                let a = if a == 24 * 60 { 0 } else { a };
                if a == b || a > 24 * 60 {
                    self.i = range_start;
                    return Err(self.fail("plage horaire vide ou impossible"));
                }
                out.push(Range { start: a, end: b, open_end: false });
            } else {
                self.i = save;
                break;
            }
            let sep = self.i;
            if self.eat_w(&["et", "puis"]) || self.eat_p(&[',', '/', ';', '&']) {
                let next_time = {
                    let mut j = self.i;
                    while is_w(self.toks.get(j), &["de", "entre", "a"]) {
                        j += 1;
                    }
                    matches!(self.toks.get(j), Some(Tok::T(_))) || is_w(self.toks.get(j), &["midi"])
                };
                if next_time {
                    continue;
                }
                self.i = sep;
            }
            break;
        }
        Ok(out)
    }

    /// Whether a time range starts `ahead` tokens from here.
    pub(super) fn times_follow(&self, ahead: usize) -> bool {
        let mut j = self.i + ahead;
        while is_w(self.toks.get(j), &["de", "entre", "des", "a"]) {
            j += 1;
        }
        matches!(self.toks.get(j), Some(Tok::T(_))) || is_w(self.toks.get(j), &["midi", "24h24", "partir"])
    }

    /// "le matin", "l'après-midi", "le soir": a part of the day without hours.
    pub(super) fn period(&mut self) -> Option<&'static str> {
        let save = self.i;
        self.eat_w(&["le", "l'", "en"]);
        let p = if self.eat_w(&["matin", "matins", "matinee"]) {
            Some("le matin")
        } else if self.eat_w(&["apres-midi", "aprem"]) || self.eat_seq(&["apres", "midi"]) {
            Some("l'après-midi")
        } else if self.eat_w(&["soir", "soirs", "soiree"]) {
            Some("le soir")
        } else {
            None
        };
        if p.is_none() {
            self.i = save;
        }
        p
    }
}
