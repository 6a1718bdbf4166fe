"""The chat page `swiftlet serve` answers at `/`, in a real browser (run by `make test`).

Debian's chromium, driven headless by playwright (scripts/install-browser installs both when
missing), opens the page of a live server: the model's name and context length show, a typed
message gets a streamed answer equal to the API's answer to the same conversation with its
tokens/s, regenerate gives the greedy answer again, copy and stop work, and a request the server
refuses (max tokens above the context) shows the server's error message.
Run from the repository root: python3 tests/python/test_webchat.py [--screenshot FILE]
"""
import json
import os
import shutil
import sys
import time
import unittest
import urllib.request

from playwright.sync_api import sync_playwright

from serve_process import ServeProcess

SCREENSHOT = None


def chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise unittest.SkipTest("no chromium: run scripts/install-browser")


class WebChatTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ServeProcess("--served-model-name", "SmolLM2-135M-Instruct", "--max-model-len", "512",
                                  "--kv-cache-memory", "64MiB", "--disable-log-stats")
        cls.base = cls.server.base
        try:
            cls.playwright = sync_playwright().start()
            cls.browser = cls.playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        except BaseException:
            cls.server.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        for close in (cls.browser.close, cls.playwright.stop):
            try:
                close()
            except Exception:
                pass
        cls.server.stop()

    def api_answer(self, messages, max_tokens):
        body = json.dumps({"messages": messages, "max_tokens": max_tokens, "temperature": 0}).encode()
        request = urllib.request.Request(self.base + "/v1/chat/completions", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read())["choices"][0]["message"]["content"]

    def open_page(self):
        page = self.browser.new_page(viewport={"width": 1200, "height": 760})
        page.goto(self.base + "/")
        page.wait_for_selector('#model[data-ready="1"]', timeout=30000)
        page.fill("#temperature", "0")
        page.fill("#max-tokens", "24")
        return page

    def send(self, page, text):
        count = page.locator(".msg.assistant .meta").count()
        page.fill("#input", text)
        page.press("#input", "Enter")
        page.wait_for_function(f"document.querySelectorAll('.msg.assistant .meta').length > {count}", timeout=120000)
        return page.locator(".msg.assistant").last

    def test_page_is_served_by_the_binary(self):
        with urllib.request.urlopen(self.base + "/", timeout=10) as answer:
            self.assertEqual(answer.status, 200)
            self.assertIn("text/html", answer.headers["Content-Type"])
            html = answer.read().decode()
        # Nothing is fetched from elsewhere: no external scripts, styles or fonts.
        self.assertNotIn("http://", html.replace("http://127", ""))
        self.assertNotIn("https://", html)

    def test_streamed_answer_regenerate_copy_and_speed(self):
        page = self.open_page()
        self.assertEqual(page.text_content("#model"), "SmolLM2-135M-Instruct \u00b7 context 512 tokens")
        page.fill("#system", "You are a geography teacher.")
        answer = self.send(page, "What is the capital of France?")
        text = answer.locator(".text").text_content()
        expected = self.api_answer([{"role": "system", "content": "You are a geography teacher."},
                                    {"role": "user", "content": "What is the capital of France?"}], 24)
        self.assertEqual(text, expected)
        self.assertRegex(answer.locator(".speed").text_content(), r"^\d+ tokens \u00b7 \d+(\.\d)? tokens/s$")
        # A second turn carries the first.
        second = self.send(page, "And of Italy?")
        expected_second = self.api_answer([{"role": "system", "content": "You are a geography teacher."},
                                           {"role": "user", "content": "What is the capital of France?"},
                                           {"role": "assistant", "content": text},
                                           {"role": "user", "content": "And of Italy?"}], 24)
        self.assertEqual(second.locator(".text").text_content(), expected_second)
        # Regenerate replaces the last answer (greedy: the same text).
        page.click("#regenerate")
        page.wait_for_function("document.querySelectorAll('.msg.assistant').length === 2 && "
                               "document.querySelectorAll('.msg.assistant .meta').length === 2", timeout=120000)
        self.assertEqual(page.locator(".msg.assistant").last.locator(".text").text_content(), expected_second)
        page.locator(".msg.assistant").last.locator(".copy").click()
        page.wait_for_function("document.querySelectorAll('.copy')[1].textContent === 'Copied'", timeout=10000)
        if SCREENSHOT:
            page.screenshot(path=SCREENSHOT)
        page.close()

    def test_stop_ends_the_answer(self):
        page = self.open_page()
        page.fill("#max-tokens", "400")
        page.fill("#input", "Write a long story about a lighthouse keeper.")
        page.press("#input", "Enter")
        page.wait_for_function("(document.querySelector('.msg.assistant .text') || {}).textContent", timeout=120000)
        page.click("#stop")
        page.wait_for_selector(".msg.assistant .meta", timeout=30000)
        self.assertFalse(page.is_disabled("#send"))
        self.assertTrue(page.is_disabled("#stop"))
        stopped = page.locator(".msg.assistant .text").text_content()
        # The server aborted the request (the page closed the stream): nothing runs, the text stays.
        deadline = time.monotonic() + 10
        while self.running() > 0:
            self.assertLess(time.monotonic(), deadline, "the request still runs after Stop")
            time.sleep(0.2)
        time.sleep(1)
        self.assertEqual(page.locator(".msg.assistant .text").text_content(), stopped)
        page.close()

    def running(self):
        with urllib.request.urlopen(self.base + "/metrics", timeout=10) as answer:
            for line in answer.read().decode().splitlines():
                if line.startswith("vllm:num_requests_running"):
                    return float(line.split()[-1])
        return 0

    def test_refused_request_shows_the_error(self):
        page = self.open_page()
        page.fill("#max-tokens", "100000")
        page.fill("#input", "Hi")
        page.press("#input", "Enter")
        page.wait_for_selector("#error", state="visible", timeout=30000)
        self.assertIn("Error 400: max_tokens=100000 cannot be greater than max_model_len=512", page.text_content("#error"))
        self.assertEqual(page.locator(".msg.assistant").count(), 0)
        # The refused turn left the conversation: its text is back in the box, no bubble stays.
        self.assertEqual(page.locator(".msg.user").count(), 0)
        self.assertEqual(page.input_value("#input"), "Hi")
        self.assertFalse(page.is_disabled("#send"))
        page.close()


if __name__ == "__main__":
    if "--screenshot" in sys.argv:
        index = sys.argv.index("--screenshot")
        SCREENSHOT = os.path.abspath(sys.argv[index + 1])
        del sys.argv[index:index + 2]
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
