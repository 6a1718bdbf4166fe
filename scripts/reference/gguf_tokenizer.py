"""Byte-level BPE tokenizer built from the GGUF's own vocabulary, for making
reference token ids only (the committed reference files store explicit ids).

tokenizer.ggml.model = "gpt2", tokenizer.ggml.pre = "smollm": llama.cpp splits
with the pattern list ["\\p{N}", <GPT-2 pattern>], i.e. every digit is its own
piece, then the GPT-2 byte-level split.  In HF `tokenizers` terms that is
Digits(individual_digits=True) followed by ByteLevel(add_prefix_space=False).
Control tokens (token_type 3, e.g. <|im_start|> = 1, <|im_end|> = 2) are
registered as special tokens so they are matched whole in text.
"""

import gguf
from tokenizers import Tokenizer, decoders, models, pre_tokenizers


def load_gguf_tokenizer(path):
    reader = gguf.GGUFReader(path)
    fields = reader.fields
    if fields["tokenizer.ggml.model"].contents() != "gpt2":
        raise ValueError("expected a gpt2-style (byte-level BPE) GGUF vocabulary")
    if fields["tokenizer.ggml.pre"].contents() != "smollm":
        raise ValueError("this helper only implements the 'smollm' pre-tokenizer")
    tokens = fields["tokenizer.ggml.tokens"].contents()
    types = fields["tokenizer.ggml.token_type"].contents()
    merges = [tuple(m.split(" ", 1)) for m in fields["tokenizer.ggml.merges"].contents()]
    vocab = {tok: i for i, tok in enumerate(tokens)}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, fuse_unk=False, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    specials = [t for t, ty in zip(tokens, types) if int(ty) == 3]
    tok.add_special_tokens(specials)
    return tok, tokens
