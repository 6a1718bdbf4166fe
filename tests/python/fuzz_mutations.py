"""The requests tests/python/test_fuzz.py sends: well-formed ones with mutated JSON bodies, and
requests broken at the HTTP level (headers, chunked framing, methods, paths, bytes that are not
HTTP, bodies over the size limit). Deterministic for a given random.Random."""
import json

BODIES = {
    "/v1/completions": {"model": "m", "prompt": "x", "max_tokens": 1, "temperature": 0.5, "top_p": 0.9, "top_k": 5,
                        "n": 1, "stop": ["a"], "logprobs": 1, "echo": False, "seed": 3, "stream": False,
                        "presence_penalty": 0.1, "logit_bias": {"5": 1.0}, "min_tokens": 0, "cache_salt": "s"},
    "/v1/chat/completions": {"model": "m", "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "x"}],
                             "max_tokens": 1, "temperature": 0.5, "top_logprobs": 1, "logprobs": True, "stream": False,
                             "response_format": {"type": "json_object"}, "tools": [{"type": "function", "function": {
                                 "name": "f", "parameters": {"type": "object", "properties": {"a": {"type": "string"}}}}}],
                             "tool_choice": "none", "chat_template_kwargs": {"enable_thinking": False}},
    "/v1/responses": {"model": "m", "input": [{"role": "user", "content": [{"type": "input_text", "text": "x"}]}],
                      "instructions": "i", "max_output_tokens": 1, "temperature": 0.5, "store": False,
                      "text": {"format": {"type": "text"}}},
    "/tokenize": {"model": "m", "prompt": "hello", "add_special_tokens": True},
    "/detokenize": {"model": "m", "tokens": [1, 2, 3]},
    "/v1/completions/render": {"model": "m", "prompt": ["a", "b"], "max_tokens": 1},
    "/v1/chat/completions/render": {"model": "m", "messages": [{"role": "user", "content": "x"}], "max_tokens": 1},
}
GETS = ["/health", "/version", "/metrics", "/v1/models", "/get_load", "/get_server_info", "/v1/responses/resp_x"]
EDGE_VALUES = [None, True, False, 0, -1, 1, 2, -5, 1.5, -0.0, 1e308, -1e308, 2 ** 63, -(2 ** 63) - 1, 2 ** 64, "", "x",
               "\u0000", "\ud7ff", "😀" * 3, [], [None], [[]], {}, {"a": None}, [1] * 50, "a" * 5000, [0.5, "x", None]]
# Mutations that can make the server generate keep max_tokens small: the KV cache is tiny.
SMALL_OUTPUT = {"max_tokens": 1, "max_output_tokens": 1}


def request_bytes(method, path, body=b"", headers=None, chunked=None):
    head = [f"{method} {path} HTTP/1.1".encode("latin-1", "replace"), b"Host: 127.0.0.1"]
    fields = {"Content-Type": "application/json"}
    if chunked is None:
        fields["Content-Length"] = str(len(body))
    else:
        fields["Transfer-Encoding"] = "chunked"
    fields.update(headers or {})
    for name, value in fields.items():
        if value is not None:
            head.append(name.encode("latin-1", "replace") + b": " + (value if isinstance(value, bytes) else str(value).encode("latin-1", "replace")))
    payload = chunked if chunked is not None else body
    return b"\r\n".join(head) + b"\r\n\r\n" + payload


def mutate_value(rng, value, depth=0):
    """A random change somewhere inside a JSON value."""
    if depth > 4 or rng.random() < 0.3:
        return rng.choice(EDGE_VALUES)
    if isinstance(value, dict) and value:
        copy = dict(value)
        key = rng.choice(list(copy))
        action = rng.random()
        if action < 0.25:
            del copy[key]
        elif action < 0.35:
            copy[rng.choice(["extra", "n", "stream", "logprobs", "prompt_logprobs", "tools", "best_of", key + "_"])] = rng.choice(EDGE_VALUES)
        else:
            copy[key] = mutate_value(rng, copy[key], depth + 1)
        return copy
    if isinstance(value, list) and value:
        copy = list(value)
        index = rng.randrange(len(copy))
        if rng.random() < 0.2:
            del copy[index]
        else:
            copy[index] = mutate_value(rng, copy[index], depth + 1)
        return copy
    return rng.choice(EDGE_VALUES)


def mutated_body(rng, template):
    value = template
    for _ in range(rng.randint(1, 3)):
        value = mutate_value(rng, value)
    if isinstance(value, dict):
        # A generating request stays cheap: at most 2 tokens (absent, the default would be the whole context).
        for key, small in SMALL_OUTPUT.items():
            if key in template and not (isinstance(value.get(key), int) and not isinstance(value.get(key), bool) and value[key] <= 2):
                value[key] = small
        if value.get("n") is not None and not (isinstance(value["n"], int) and value["n"] <= 2):
            value["n"] = rng.choice([1, 2, 0, -1, "2", 1.5])
    text = json.dumps(value, allow_nan=rng.random() < 0.05).encode()
    kind = rng.random()
    if kind < 0.1 and text:
        cut = rng.randrange(len(text))
        text = text[:cut]
    elif kind < 0.2 and text:
        data = bytearray(text)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        text = bytes(data)
    elif kind < 0.25:
        text = text.replace(b'"x"', b'"\xff\xfe\xc3("', 1)
    elif kind < 0.28:
        depth = rng.choice([100, 1000, 100000])
        text = b"[" * depth + b"]" * (depth if rng.random() < 0.5 else 0)
    elif kind < 0.30:
        text = b'{"prompt": ' + b'{"a": ' * 2000 + b"1" + b"}" * 2000 + b"}"
    return text


# How often each endpoint's body is mutated: the generating ones less often, as a request that
# survives its checks costs a model step (tens of milliseconds on the debug build).
PATH_WEIGHTS = {"/v1/completions": 9, "/v1/chat/completions": 8, "/v1/responses": 8, "/tokenize": 20, "/detokenize": 20,
                "/v1/completions/render": 18, "/v1/chat/completions/render": 17}


def mutated_request(rng):
    """(bytes, whether it is well-framed HTTP: then an answer must come and the connection may carry
    the next request; otherwise the server may answer or just close)."""
    kind = rng.random()
    path = rng.choices(list(PATH_WEIGHTS), weights=list(PATH_WEIGHTS.values()))[0]
    if kind < 0.70:
        return request_bytes("POST", path, mutated_body(rng, BODIES[path])), True
    body = json.dumps(BODIES[path]).encode()
    if kind < 0.74:
        method = rng.choice(["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW", "post", "G\x00T"])
        target = rng.choice([path] + GETS)
        return request_bytes(method, target, body if rng.random() < 0.5 else b""), True
    if kind < 0.78:
        target = rng.choice(["/", "/v1", "/v1/", "//v1/completions", "/v1/completions/", "/v1/completions?x=1",
                             "/v1/responses/", "/v1/responses/a/b/cancel", "/%00", "/%zz", "/../etc/passwd",
                             "/" + "a" * rng.choice([100, 5000, 20000]), "*", "http://x/v1/models", "/v1/models#f"])
        return request_bytes(rng.choice(["GET", "POST"]), target, body), True
    if kind < 0.84:
        # Headers: wrong types, lies about the length, huge or many fields.
        choice = rng.randrange(7)
        if choice == 0:
            return request_bytes("POST", path, body, {"Content-Type": rng.choice(["text/plain", "", "application/x-www-form-urlencoded", "\x00"])}), True
        if choice == 1:
            return request_bytes("POST", path, body, {"Content-Length": rng.choice(["-1", "abc", "99999999999999999999", "1 2", ""])}), False
        if choice == 2:
            # Claims more than it sends: the server waits for the rest until the client closes.
            return request_bytes("POST", path, body, {"Content-Length": str(len(body) + rng.randint(1, 100))}), False
        if choice == 3:
            return request_bytes("POST", path, body, {"X-Big": "v" * rng.choice([1000, 20000, 100000])}), False
        if choice == 4:
            extra = {f"X-H{i}": "v" for i in range(rng.choice([50, 500]))}
            return request_bytes("POST", path, body, extra), False
        if choice == 5:
            return request_bytes("POST", path, body, {"Authorization": "Bearer " + "k" * 300, "X-Request-Id": rng.choice(["", "a" * 5000, "id\x7f"])}), False
        # No length: the body is not part of the request and reads as the next one.
        return request_bytes("POST", path, body, {"Content-Length": None}), False
    if kind < 0.90:
        # Chunked bodies, valid and broken.
        choice = rng.randrange(5)
        if choice == 0:
            pieces = [body[i:i + 7] for i in range(0, len(body), 7)]
            chunked = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
            return request_bytes("POST", path, chunked=chunked), True
        if choice == 1:
            return request_bytes("POST", path, chunked=b"zz\r\n" + body + b"\r\n0\r\n\r\n"), False
        if choice == 2:
            return request_bytes("POST", path, chunked=b"%x;ext=1\r\n%s\r\n0\r\n\r\n" % (len(body), body)), True
        if choice == 3:
            return request_bytes("POST", path, chunked=b"ffffffffffffffff\r\n" + body), False
        return request_bytes("POST", path, chunked=b"%x\r\n%s\r\n" % (len(body), body)), False
    if kind < 0.95:
        garbage = rng.choice([b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                              b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                              b"\r\n\r\n", bytes(rng.randrange(256) for _ in range(rng.randint(1, 300))) + b"\r\n\r\n",
                              b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"])
        return garbage, False
    if kind < 0.995:
        # Cut anywhere: the server gets EOF mid-request.
        data = request_bytes("POST", path, body)
        return data[:rng.randrange(1, len(data))], False
    # Bodies over the size limit (4 MiB by default).
    size = rng.choice([4 << 20, (4 << 20) + 1, 5 << 20])
    return request_bytes("POST", path, b'{"prompt": "' + b"a" * size + b'"}'), False
