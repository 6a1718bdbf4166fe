"""The official OpenAI Python client against `swiftlet serve` (run by `make test`).

Starts .build/debug/swiftlet (or $SWIFTLET_BIN) on a free port with the default model, waits for
/health, checks completions and chat (plain and streamed), usage and error mapping, then stops it.
Run from the repository root: python3 tests/python/test_openai_client.py
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import json

import jsonschema
import openai

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("SWIFTLET_BIN", os.path.join(ROOT, ".build", "debug", "swiftlet"))
MODEL_FILE = os.path.join("models", "SmolLM2-135M-Instruct.Q4_1.gguf")
STARTUP_SECONDS = 120


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OpenAIClientTests(unittest.TestCase):
    server = None
    log = None

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(os.path.join(ROOT, MODEL_FILE)):
            raise unittest.SkipTest(f"missing {MODEL_FILE}: run scripts/fetch-model")
        port = free_port()
        cls.log = tempfile.TemporaryFile()
        cls.server = subprocess.Popen(
            [BINARY, "serve", MODEL_FILE, "--host", "127.0.0.1", "--port", str(port),
             "--tool-call-parser", "hermes", "--enable-auto-tool-choice"],
            cwd=ROOT, stdout=cls.log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if cls.server.poll() is not None:
                raise RuntimeError(f"swiftlet serve exited with {cls.server.returncode}:\n{cls.server_log()}")
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                cls.stop_server()
                raise RuntimeError(f"no /health within {STARTUP_SECONDS} s:\n{cls.server_log()}")
            time.sleep(0.2)
        cls.client = openai.OpenAI(base_url=base + "/v1", api_key="x", max_retries=0, timeout=60)
        cls.model = cls.client.models.list().data[0].id

    @classmethod
    def tearDownClass(cls):
        cls.stop_server()

    @classmethod
    def stop_server(cls):
        if cls.server is None or cls.server.poll() is not None:
            return
        cls.server.send_signal(signal.SIGTERM)
        try:
            cls.server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            cls.server.kill()
            cls.server.wait()

    @classmethod
    def server_log(cls):
        cls.log.seek(0)
        return cls.log.read().decode("utf-8", "replace")[-4000:]

    def test_models_lists_the_served_model(self):
        self.assertEqual(self.model, MODEL_FILE)

    def test_completion_plain_and_streamed(self):
        plain = self.client.completions.create(
            model=self.model, prompt="The capital of France is", max_tokens=4, temperature=0)
        text = plain.choices[0].text
        self.assertTrue(text.startswith(" Paris"), text)
        self.assertEqual(plain.choices[0].finish_reason, "length")
        self.assertEqual(plain.usage.prompt_tokens, 5)
        self.assertEqual(plain.usage.completion_tokens, 4)
        self.assertEqual(plain.usage.total_tokens, 9)

        pieces, usage, finish = [], None, None
        stream = self.client.completions.create(
            model=self.model, prompt="The capital of France is", max_tokens=4, temperature=0,
            stream=True, stream_options={"include_usage": True})
        for chunk in stream:
            if chunk.choices:
                pieces.append(chunk.choices[0].text)
                finish = chunk.choices[0].finish_reason or finish
            if chunk.usage is not None:
                usage = chunk.usage
        self.assertEqual("".join(pieces), text)
        self.assertEqual(finish, "length")
        self.assertIsNotNone(usage)
        self.assertEqual((usage.prompt_tokens, usage.completion_tokens, usage.total_tokens), (5, 4, 9))

    def test_chat_plain_and_streamed(self):
        messages = [{"role": "user", "content": "What is the capital of France?"}]
        plain = self.client.chat.completions.create(
            model=self.model, messages=messages, max_tokens=8, temperature=0)
        choice = plain.choices[0]
        self.assertEqual(choice.message.role, "assistant")
        self.assertTrue(choice.message.content)
        self.assertIn(choice.finish_reason, ("stop", "length"))
        self.assertGreater(plain.usage.prompt_tokens, 5)
        self.assertGreaterEqual(plain.usage.completion_tokens, 1)
        self.assertLessEqual(plain.usage.completion_tokens, 8)
        self.assertEqual(plain.usage.total_tokens, plain.usage.prompt_tokens + plain.usage.completion_tokens)

        roles, pieces, finish, usage = [], [], None, None
        stream = self.client.chat.completions.create(
            model=self.model, messages=messages, max_tokens=8, temperature=0,
            stream=True, stream_options={"include_usage": True})
        for chunk in stream:
            if chunk.choices:
                delta = chunk.choices[0].delta
                if delta.role:
                    roles.append(delta.role)
                pieces.append(delta.content or "")
                finish = chunk.choices[0].finish_reason or finish
            if chunk.usage is not None:
                usage = chunk.usage
        self.assertEqual(roles[:1], ["assistant"])
        self.assertEqual("".join(pieces), choice.message.content)
        self.assertEqual(finish, choice.finish_reason)
        self.assertIsNotNone(usage)
        self.assertEqual(usage.completion_tokens, plain.usage.completion_tokens)
        self.assertEqual(usage.prompt_tokens, plain.usage.prompt_tokens)

    PERSON = {"type": "object", "additionalProperties": False, "required": ["name", "age"],
              "properties": {"name": {"type": "string", "maxLength": 30},
                             "age": {"type": "integer", "minimum": 0, "maximum": 150}}}

    def test_structured_outputs_json_schema_plain_and_streamed(self):
        messages = [{"role": "user", "content": "Describe a famous scientist as JSON with a name and an age."}]
        response_format = {"type": "json_schema", "json_schema": {"name": "person", "schema": self.PERSON, "strict": True}}
        plain = self.client.chat.completions.create(
            model=self.model, messages=messages, max_tokens=100, temperature=0, response_format=response_format)
        self.assertEqual(plain.choices[0].finish_reason, "stop")
        jsonschema.validate(json.loads(plain.choices[0].message.content), self.PERSON)
        stream = self.client.chat.completions.create(
            model=self.model, messages=messages, max_tokens=100, temperature=0.8, seed=5,
            response_format=response_format, stream=True)
        text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
        jsonschema.validate(json.loads(text), self.PERSON)

    def test_structured_outputs_choice_and_regex_extra_fields(self):
        choice = self.client.completions.create(
            model=self.model, prompt="Is water wet? Answer:", max_tokens=5, temperature=0,
            extra_body={"structured_outputs": {"choice": [" yes", " no"]}})
        self.assertIn(choice.choices[0].text, (" yes", " no"))
        regex = self.client.completions.create(
            model=self.model, prompt="My phone number is", max_tokens=20, temperature=1.0, seed=3,
            extra_body={"guided_regex": " [0-9]{3}-[0-9]{4}"})
        self.assertRegex(regex.choices[0].text, r"^ [0-9]{3}-[0-9]{4}$")
        with self.assertRaises(openai.BadRequestError):
            self.client.completions.create(model=self.model, prompt="x", max_tokens=5,
                                           extra_body={"structured_outputs": {"regex": "(a"}})

    TOOLS = [
        {"type": "function", "function": {
            "name": "get_weather", "description": "The weather in a city",
            "parameters": {"type": "object", "additionalProperties": False, "required": ["city"],
                           "properties": {"city": {"type": "string", "maxLength": 20},
                                          "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}}}},
        {"type": "function", "function": {
            "name": "get_time", "parameters": {"type": "object", "additionalProperties": False, "required": ["zone"],
                                               "properties": {"zone": {"type": "string", "enum": ["UTC", "CET"]}}}}},
    ]
    TOOL_MESSAGES = [{"role": "user", "content": "What is the weather in Paris?"}]

    def check_calls(self, calls):
        """Each call names a tool and its arguments parse and match that tool's parameters."""
        schemas = {tool["function"]["name"]: tool["function"]["parameters"] for tool in self.TOOLS}
        self.assertGreater(len(calls), 0)
        for name, arguments in calls:
            self.assertIn(name, schemas)
            jsonschema.validate(json.loads(arguments), schemas[name])

    def streamed_calls(self, **kwargs):
        """The calls of a streamed answer, joined from their pieces, and the finish reason."""
        names, arguments, finish = {}, {}, None
        for chunk in self.client.chat.completions.create(model=self.model, stream=True, **kwargs):
            for choice in chunk.choices:
                for piece in choice.delta.tool_calls or []:
                    if piece.function.name:
                        self.assertNotIn(piece.index, names)
                        self.assertTrue(piece.id.startswith("chatcmpl-tool-"))
                        names[piece.index] = piece.function.name
                    arguments[piece.index] = arguments.get(piece.index, "") + (piece.function.arguments or "")
                finish = choice.finish_reason or finish
        return [(names[index], arguments[index]) for index in sorted(names)], finish

    def test_tools_required_and_named_plain_and_streamed(self):
        for tool_choice, finish in (("required", "tool_calls"),
                                    ({"type": "function", "function": {"name": "get_time"}}, "stop")):
            kwargs = dict(messages=self.TOOL_MESSAGES, tools=self.TOOLS, tool_choice=tool_choice, max_tokens=200)
            plain = self.client.chat.completions.create(model=self.model, temperature=0, **kwargs)
            choice = plain.choices[0]
            self.assertEqual(choice.finish_reason, finish)
            self.assertEqual(choice.message.content, "")
            calls = [(call.function.name, call.function.arguments) for call in choice.message.tool_calls]
            self.check_calls(calls)
            if tool_choice != "required":
                self.assertEqual([name for name, _ in calls], ["get_time"])
            streamed, streamed_finish = self.streamed_calls(temperature=0.7, seed=11, **kwargs)
            self.assertEqual(streamed_finish, finish)
            self.check_calls(streamed)

    def test_tools_auto_and_a_tool_result_turn(self):
        auto = self.client.chat.completions.create(
            model=self.model, messages=self.TOOL_MESSAGES, tools=self.TOOLS, max_tokens=30, temperature=0)
        choice = auto.choices[0]
        if choice.message.tool_calls:
            self.assertEqual(choice.finish_reason, "tool_calls")
            self.check_calls([(call.function.name, call.function.arguments) for call in choice.message.tool_calls])
        else:
            self.assertIn(choice.finish_reason, ("stop", "length"))
            self.assertIsInstance(choice.message.content, str)
        history = self.TOOL_MESSAGES + [
            {"role": "assistant", "content": "", "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "18 degrees and sunny"},
        ]
        answer = self.client.chat.completions.create(
            model=self.model, messages=history, tools=self.TOOLS, tool_choice="none", max_tokens=10, temperature=0)
        self.assertIsInstance(answer.choices[0].message.content, str)
        with self.assertRaises(openai.BadRequestError):
            self.client.chat.completions.create(model=self.model, messages=self.TOOL_MESSAGES, tools=self.TOOLS, max_tokens=5,
                                                tool_choice={"type": "function", "function": {"name": "nope"}})

    def test_errors_map_to_client_exceptions(self):
        with self.assertRaises(openai.NotFoundError):
            self.client.completions.create(model="no-such-model", prompt="hi", max_tokens=1)
        with self.assertRaises(openai.BadRequestError) as raised:
            self.client.completions.create(model=self.model, prompt="hi", max_tokens=10_000_000)
        self.assertIn("cannot be greater than max_model_len", str(raised.exception))
        with self.assertRaises(openai.BadRequestError):
            self.client.chat.completions.create(model=self.model, messages=[], max_tokens=1)

    def test_responses_text_instructions_previous_and_retrieve(self):
        first = self.client.responses.create(model=self.model, input="What is the capital of France?",
                                             instructions="Answer in one short sentence.", max_output_tokens=12, temperature=0)
        self.assertTrue(first.id.startswith("resp_"))
        self.assertIn(first.status, ("completed", "incomplete"))
        self.assertIn("Paris", first.output_text)
        self.assertEqual(first.output[0].type, "message")
        self.assertEqual(first.usage.total_tokens, first.usage.input_tokens + first.usage.output_tokens)
        follow = self.client.responses.create(model=self.model, input=[{"role": "user", "content": "And of Italy?"}],
                                              previous_response_id=first.id, max_output_tokens=12, temperature=0)
        self.assertEqual(follow.previous_response_id, first.id)
        # The earlier turn is in the prompt.
        self.assertGreater(follow.usage.input_tokens, first.usage.input_tokens + first.usage.output_tokens)
        again = self.client.responses.retrieve(first.id)
        self.assertEqual((again.id, again.output_text), (first.id, first.output_text))
        unstored = self.client.responses.create(model=self.model, input="Hi", max_output_tokens=2, store=False)
        with self.assertRaises(openai.NotFoundError):
            self.client.responses.retrieve(unstored.id)
        with self.assertRaises(openai.NotFoundError):
            self.client.responses.create(model=self.model, input="x", previous_response_id="resp_unknown")

    def test_responses_streamed_events(self):
        plain = self.client.responses.create(model=self.model, input="Count to five.", max_output_tokens=10, temperature=0)
        types, deltas = [], []
        with self.client.responses.stream(model=self.model, input="Count to five.", max_output_tokens=10, temperature=0) as stream:
            for event in stream:
                types.append(event.type)
                if event.type == "response.output_text.delta":
                    deltas.append(event.delta)
            final = stream.get_final_response()
        self.assertEqual(types[:4], ["response.created", "response.in_progress", "response.output_item.added",
                                     "response.content_part.added"])
        self.assertEqual(types[-4:], ["response.output_text.done", "response.content_part.done", "response.output_item.done",
                                      "response.completed"])
        self.assertEqual("".join(deltas), final.output_text)
        self.assertEqual(final.output_text, plain.output_text)

    def test_responses_json_schema_and_function_tools(self):
        schema = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                  "required": ["name", "age"], "additionalProperties": False}
        person = self.client.responses.create(
            model=self.model, input="Describe a person.", max_output_tokens=60, temperature=0,
            text={"format": {"type": "json_schema", "name": "person", "schema": schema, "strict": True}})
        jsonschema.validate(json.loads(person.output_text), schema)
        tools = [{"type": "function", "name": tool["function"]["name"],
                  "parameters": tool["function"]["parameters"]} for tool in self.TOOLS]
        called = self.client.responses.create(model=self.model, input="What is the weather in Paris?", tools=tools,
                                              tool_choice="required", max_output_tokens=200, temperature=0)
        calls = [item for item in called.output if item.type == "function_call"]
        self.check_calls([(call.name, call.arguments) for call in calls])
        answer = self.client.responses.create(
            model=self.model, previous_response_id=called.id, max_output_tokens=10, temperature=0,
            input=[{"type": "function_call_output", "call_id": calls[0].call_id, "output": "18 degrees and sunny"}])
        self.assertIsInstance(answer.output_text, str)
        with self.assertRaises(openai.BadRequestError):
            self.client.responses.create(model=self.model, input="x", tools=[{"type": "web_search"}])
        with self.assertRaises(openai.BadRequestError):
            self.client.responses.create(model=self.model, input="x", background=True)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
