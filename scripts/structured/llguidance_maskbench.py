"""MaskBench's protocol on llguidance, over the tokens `swiftlet bench structured --write-tokens`
wrote (the same schemas, instance texts and token ids Swiftlet's run used).

For each schema: compile (grammar_from_json_schema and the matcher, timed together), then for each
instance feed its tokens one by one, computing the mask before every token (timed); a valid
instance must have every token allowed and end accepting, an invalid one must be refused somewhere.
Prints the same figures as `swiftlet bench structured`, and writes them as JSON with --output-json.
One thread (RAYON_NUM_THREADS=1 is set before llguidance loads).

    python3 scripts/structured/llguidance_maskbench.py TOKENS.jsonl TOKENIZER_JSON [--output-json FILE]

TOKENIZER_JSON: the model's tokenizer.json (`swiftlet export-hf` writes one for a GGUF file);
llguidance tokenizes the strings a grammar forces with it, so it must be the model's BPE tokenizer.
"""
import argparse
import json
import os
import statistics
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
import llguidance  # noqa: E402


def percentile(values, p):
    """Percentile of sorted values, interpolated between ranks as swiftlet's BenchServeStatistics does."""
    if not values:
        return 0.0
    rank = p / 100 * (len(values) - 1)
    lower = int(rank)
    upper = min(lower + 1, len(values) - 1)
    return values[lower] + (values[upper] - values[lower]) * (rank - lower)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tokens")
    parser.add_argument("tokenizer_json")
    parser.add_argument("--output-json")
    args = parser.parse_args()
    with open(args.tokens) as lines:
        header = json.loads(next(lines))
        cases = [json.loads(line) for line in lines]
    tokenizer = llguidance.LLTokenizer(args.tokenizer_json, eos_token=header["eos"])
    if tokenizer.vocab_size != len(header["vocab"]):
        raise SystemExit(f"{args.tokenizer_json} has {tokenizer.vocab_size} tokens, the token file {len(header['vocab'])}")
    figures = dict(schemas=0, compiled=0, valid_instances=0, valid_accepted=0, invalid_instances=0, invalid_rejected=0, tokens=0)
    compile_ms, mask_us, errors = [], [], {}
    for case in cases:
        figures["schemas"] += 1
        start = time.perf_counter()
        try:
            grammar = llguidance.LLMatcher.grammar_from_json_schema(case["schema"])
            matcher = llguidance.LLMatcher(tokenizer, grammar, log_level=0)
            failed = matcher.is_error()
        except Exception as error:  # a schema llguidance cannot read
            matcher, failed = None, str(error)
        if failed:
            reason = " ".join((matcher.get_error() if matcher else failed).split()[:4])
            errors[reason] = errors.get(reason, 0) + 1
            continue
        compile_ms.append(1000 * (time.perf_counter() - start))
        figures["compiled"] += 1
        for test in case["tests"]:
            matcher.reset()
            accepted = True
            for token in test["tokens"]:
                mask_start = time.perf_counter()
                mask = matcher.compute_bitmask()
                mask_us.append(1e6 * (time.perf_counter() - mask_start))
                figures["tokens"] += 1
                allowed = mask[token >> 3] & (1 << (token & 7))
                if not allowed or not matcher.consume_token(token):
                    accepted = False
                    break
            if accepted and not matcher.is_accepting():
                accepted = False
            key = "valid" if test["valid"] else "invalid"
            figures[f"{key}_instances"] += 1
            if accepted == test["valid"]:
                figures["valid_accepted" if test["valid"] else "invalid_rejected"] += 1
    compile_ms.sort()
    mask_us.sort()
    summary = dict(figures, compile_ms_p50=percentile(compile_ms, 50), compile_ms_p99=percentile(compile_ms, 99),
                   mask_us_mean=statistics.fmean(mask_us) if mask_us else 0.0, mask_us_p50=percentile(mask_us, 50),
                   mask_us_p99=percentile(mask_us, 99), mask_us_max=mask_us[-1] if mask_us else 0.0,
                   compile_errors=errors, llguidance_version=llguidance.get_version() if hasattr(llguidance, "get_version") else "?")

    def share(part, whole):
        return f"{100 * part / whole:.2f}%" if whole else "-"
    print(f"schemas compiled:      {summary['compiled']} / {summary['schemas']} ({share(summary['compiled'], summary['schemas'])})")
    print(f"valid accepted:        {summary['valid_accepted']} / {summary['valid_instances']} ({share(summary['valid_accepted'], summary['valid_instances'])})")
    print(f"invalid rejected:      {summary['invalid_rejected']} / {summary['invalid_instances']} ({share(summary['invalid_rejected'], summary['invalid_instances'])})")
    print(f"compile:               p50 {summary['compile_ms_p50']:.3f} ms, p99 {summary['compile_ms_p99']:.3f} ms")
    print(f"mask per token:        mean {summary['mask_us_mean']:.1f} us, p50 {summary['mask_us_p50']:.1f} us, "
          f"p99 {summary['mask_us_p99']:.1f} us, max {summary['mask_us_max']:.1f} us over {summary['tokens']} tokens")
    for reason, count in sorted(errors.items(), key=lambda item: -item[1])[:8]:
        print(f"  not compiled: {count} x {reason}")
    if args.output_json:
        with open(args.output_json, "w") as out:
            json.dump(summary, out, indent=1)


if __name__ == "__main__":
    main()
