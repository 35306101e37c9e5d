//! The line of each nested object of a JSON text, so a service nested in an organization or a
//! page is reported at its own line.

use std::collections::HashMap;

/// Where a value sits: the top-level document and a JSON-pointer-like path in it.
pub(super) struct Loc {
    pub(super) doc: usize,
    pub(super) ptr: String,
}

impl Loc {
    pub(super) fn child(&self, path: &str) -> Loc {
        Loc { doc: self.doc, ptr: format!("{}/{path}", self.ptr) }
    }
}

/// The line on which every object of a JSON text starts, by position, so a service nested
/// in an organization or a page is reported at its own line. serde_json keeps no
/// positions, so this is a small scan of the text's structure (strings skipped).
pub(super) struct ObjectLines(HashMap<(usize, String), usize>);

enum Frame {
    Object { key: String, expect_key: bool },
    Array { index: usize },
}

impl ObjectLines {
    pub(super) fn scan(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut map = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let (mut doc, mut line, mut i) = (0, 1, 0);
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line += 1,
                b'"' => {
                    let start = i + 1;
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    if let Some(Frame::Object { key, expect_key: true }) = stack.last_mut() {
                        *key = text.get(start..i.min(bytes.len())).unwrap_or_default().to_string();
                    }
                }
                b':' => {
                    if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                        *expect_key = false;
                    }
                }
                b',' => match stack.last_mut() {
                    Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                    Some(Frame::Array { index }) => *index += 1,
                    None => {}
                },
                open @ (b'{' | b'[') => {
                    if open == b'{' {
                        map.insert((doc, pointer(&stack)), line);
                    }
                    stack.push(if open == b'{' {
                        Frame::Object { key: String::new(), expect_key: true }
                    } else {
                        Frame::Array { index: 0 }
                    });
                }
                b'}' | b']' => {
                    stack.pop();
                    if stack.is_empty() {
                        doc += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        ObjectLines(map)
    }

    pub(super) fn line(&self, at: &Loc, fallback: usize) -> usize {
        self.0.get(&(at.doc, at.ptr.clone())).copied().unwrap_or(fallback)
    }
}

fn pointer(stack: &[Frame]) -> String {
    stack
        .iter()
        .map(|f| match f {
            Frame::Object { key, .. } => format!("/{key}"),
            Frame::Array { index } => format!("/{index}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_objects_have_their_own_lines() {
        let text = "{\n \"a\": \"{not a brace\",\n \"services\": [\n  {\"id\": 1},\n  {\n   \"id\": 2}\n ]\n}\n";
        let lines = ObjectLines::scan(text);
        let root = Loc { doc: 0, ptr: String::new() };
        assert_eq!(lines.line(&root, 0), 1);
        assert_eq!(lines.line(&root.child("services/0"), 0), 4);
        assert_eq!(lines.line(&root.child("services/1"), 0), 5);
    }
}
