//! Everything that can happen to the interface, as data. Input (keys, mouse, resize, time)
//! becomes an [`Action`]; [`super::app::App::update`] is the only place that acts on it.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A character typed into the search.
    Type(char),
    /// Text pasted (bracketed paste): typed into the search, control characters dropped.
    Paste(String),
    Backspace,
    ClearQuery,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    Back,
    /// Digit key: a theme on Home, a visible row in Results.
    Digit(u8),
    Help,
    About,
    ToggleLanguage,
    FilterTheme,
    FilterCommune,
    FilterPlace,
    FilterFree,
    /// F7: all / open now / open today.
    FilterOpen,
    /// F8: relevance ⇄ distance.
    ToggleSort,
    /// Staff: ask for the commune distances are measured from.
    AskNear,
    /// Tab: the results as a list ⇄ on the map.
    ToggleMap,
    /// Staff: add the selected (or open) initiative to the shortlist, or take it out.
    ToggleShortlist,
    /// Staff: the Shortlist screen.
    ShowShortlist,
    /// Shortlist: move the selected entry up or down the list.
    MoveEntryUp,
    MoveEntryDown,
    /// Shortlist: take the selected entry out.
    RemoveEntry,
    ClearShortlist,
    /// Shortlist: write it as a text or HTML page (asks for the file name first).
    ExportText,
    ExportHtml,
    /// Shortlist: send the text page to the configured printer.
    PrintShortlist,
    /// Shortlist: copy the text page to the staff member's clipboard (OSC 52).
    CopyShortlist,
    /// Detail: print a 40-column ticket of this initiative (where a printer is configured).
    PrintTicket,
    /// The outcome of an [`crate::ui::app::Effect`], shown as a message.
    EffectDone(Result<String, String>),
    Quit,
    /// The terminal's new size.
    Resize(u16, u16),
    /// Mouse click at (column, row).
    Click(u16, u16),
    WheelUp,
    WheelDown,
    /// Time passes: idle countdown, idle reset, index-generation check.
    Tick,
}
