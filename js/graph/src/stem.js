// The light, language-blind stemmer of kgraph.analysis._text (stem), ported so the
// standalone page's search matches word forms as the store's search does
// (gesprek/gesprekken, meten/metingen). tests/test_graph_bundle.py checks that both give
// the same stems.
const DOUBLE_CONSONANT = /([bdfgklmnprst])\1$/;
const DOUBLE_VOWEL = /(aa|ee|oo|uu)([^aeiou])$/;

export function stem(word) {
  let w = word;
  if (w.length > 6 && w.endsWith("heden")) w = w.slice(0, -5) + "heid";
  else if (w.length > 6 && w.endsWith("ingen")) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith("ies")) w = w.slice(0, -3) + "y";
  else if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && (w.endsWith("ed") || w.endsWith("en"))) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !(w.endsWith("ss") || w.endsWith("us") || w.endsWith("is")))
    w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ly")) w = w.slice(0, -2);
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  w = w.replace(DOUBLE_CONSONANT, "$1");
  return w.replace(DOUBLE_VOWEL, (m, v, c) => v[0] + c);
}

/** ``stem`` applied until the word no longer changes (search_stem in Python). */
export function searchStem(word) {
  let w = word;
  for (let i = 0; i < 6; i += 1) {
    const next = stem(w);
    if (next === w) break;
    w = next;
  }
  return w;
}

/** Case- and accent-insensitive words of ``text`` (kgraph.model.fold, then [0-9a-z]+). */
export function foldWords(text) {
  const folded = String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  return folded.match(/[0-9a-z]+/g) || [];
}
