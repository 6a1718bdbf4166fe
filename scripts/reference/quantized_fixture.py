"""Shared parts of the quantized-checkpoint fixture scripts (make_compressed.py, make_fp8_blocks.py,
make_gptq.py, make_awq.py): the random base Llama, its word-level tokenizer, and the transformers
reference document written beside each checkpoint."""
import json
import os
import shutil
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from forward import log_softmax  # noqa: E402
from make_reference import RecomputingModel, greedy_record, sequence_record, write_document  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(REPO, "Tests", "ModelsTests", "Fixtures")


def checkpoint_dir(name):
    return os.path.join(FIXTURES, "compressed", name)


def random_llama(name, hidden, intermediate=None):
    """A 2-layer random Llama (4 heads, 2 KV heads, vocabulary 256, lm_head x 8 so the logits have
    clear winners) saved with an id tokenizer under .cache/compressed-work/NAME/base; returns the path."""
    from transformers import LlamaConfig, LlamaForCausalLM
    torch.manual_seed(0)
    work = os.path.join(REPO, ".cache", "compressed-work", name)
    shutil.rmtree(work, ignore_errors=True)
    config = LlamaConfig(hidden_size=hidden, intermediate_size=intermediate or 2 * hidden, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, vocab_size=256, max_position_embeddings=256,
                         rms_norm_eps=1e-5, tie_word_embeddings=False, bos_token_id=1, eos_token_id=2)
    base = LlamaForCausalLM(config).eval()
    with torch.no_grad():
        base.lm_head.weight.mul_(8)
    path = os.path.join(work, "base")
    base.save_pretrained(path, safe_serialization=True)
    id_tokenizer().save_pretrained(path)
    return path


def id_tokenizer():
    """A word-level tokenizer over the 256 ids ("t0" .. "t255"): the quantizers want a tokenizer
    beside their calibration data, which are token ids already."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast
    tokenizer = Tokenizer(models.WordLevel({f"t{i}": i for i in range(256)}, unk_token="t0"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="t0", pad_token="t0")


def calibration_ids(count=16, length=64):
    """Seeded random calibration sequences of token ids in 3..255."""
    generator = torch.Generator().manual_seed(1)
    return torch.randint(3, 256, (count, length), generator=generator).tolist()


def logits_of(model):
    """A function from token ids to float64 logits of one sequence."""
    def run(ids):
        with torch.no_grad():
            return model(torch.tensor([list(ids)])).logits[0].double().numpy()
    return run


def write_reference(name, reference, description, generator, base=None):
    """Four seeded random sequences and two greedy continuations of `reference` (a transformers
    model running the checkpoint) in make_reference.py's format, to reference/NAME-transformers.json;
    with `base` (the unquantized model's path), that model's agreement with the reference too."""
    forward = RecomputingModel(logits_of(reference))
    rng = np.random.default_rng(5)
    sequences = []
    for i, length in enumerate([48, 40, 32, 24]):
        ids = [1] + [int(t) for t in rng.integers(3, 256, size=length - 1)]
        sequences.append(sequence_record(f"random-{i}", "ids", "", ids, forward.forward(ids, []), 10))
    greedy = [greedy_record(forward, f"greedy-{i}", s["token_ids"][:10]) for i, s in enumerate(sequences[:2])]
    document = {
        "format": "swiftlet-reference-logprobs v1",
        "description": description + ": per position the top-10 ids of log_softmax(logits) and their log-probs; "
                                     "greedy argmax continuations.",
        "model_file": name,
        "generator": generator,
    }
    if base is not None:
        from transformers import LlamaForCausalLM
        unquantized = RecomputingModel(logits_of(LlamaForCausalLM.from_pretrained(base).eval()))
        top1, deltas = 0, []
        for s in sequences:
            logprobs, _ = log_softmax(unquantized.forward(s["token_ids"], []))
            for pos, row in enumerate(logprobs):
                top1 += int(np.argmax(row) == s["top_ids"][pos][0])
                deltas.append(abs(row[s["top_ids"][pos][0]] - s["top_logprobs"][pos][0]))
        document["unquantized_vs_reference"] = {"top1_agreement": top1 / len(deltas), "mean_abs_delta": float(np.mean(deltas))}
    document.update({"num_positions": sum(len(s["token_ids"]) for s in sequences), "sequences": sequences, "greedy": greedy})
    write_document(os.path.join(FIXTURES, "reference", name + "-transformers.json"), document)
    size = sum(os.path.getsize(os.path.join(checkpoint_dir(name), f)) for f in os.listdir(checkpoint_dir(name)))
    print(name, json.dumps(document.get("unquantized_vs_reference")), size)
