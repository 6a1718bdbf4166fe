"""The reference prompts (our own text).  Each entry: (name, kind, content).
kind "text": content is plain text, tokenized without BOS (the GGUF says
tokenizer.ggml.add_bos_token = false).  kind "chat": content is a list of
(role, message) turns rendered in SmolLM2's ChatML form
"<|im_start|>{role}\\n{message}<|im_end|>\\n" ... ending with the generation
prompt "<|im_start|>assistant\\n".
"""

DEFAULT_SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"

PROMPTS = [
    ("france", "text", "The capital of France is"),
    ("prose", "text",
     "Once upon a time, in a small village at the edge of a dark forest, there lived an old "
     "clockmaker who had never left his workshop. Every morning he"),
    ("code", "text",
     "def fibonacci(n):\n"
     "    \"\"\"Return the n-th Fibonacci number.\"\"\"\n"
     "    if n < 2:\n"
     "        return n\n"
     "    a, b = 0, 1\n"
     "    for _ in range(n - 1):\n"
     "        a, b = b, a + b\n"
     "    return b\n"
     "\n"
     "\n"
     "def is_prime(n):\n"),
    ("list", "text",
     "Shopping list for the week:\n"
     "- 2 loaves of whole-wheat bread\n"
     "- 1 dozen eggs\n"
     "- 500 g of spaghetti\n"
     "- 3 ripe avocados\n"
     "- olive oil\n"
     "-"),
    ("numbers", "text",
     "1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144. In 1969, 3 astronauts flew 384,400 km to the Moon; "
     "12 x 12 = 144 and 2^10 = 1024. The year after 2024 is"),
    ("chat_france", "chat", [
        ("system", DEFAULT_SYSTEM),
        ("user", "What is the capital of France?"),
    ]),
    ("chat_haiku", "chat", [
        ("system", DEFAULT_SYSTEM),
        ("user", "Write a haiku about the ocean at night."),
    ]),
    ("chat_code", "chat", [
        ("system", "You are a concise programming assistant."),
        ("user", "How do I reverse a list in Python? Answer in one line."),
    ]),
    ("chat_multiturn", "chat", [
        ("system", DEFAULT_SYSTEM),
        ("user", "Hi! Can you recommend a good book about the history of science?"),
        ("assistant", "Sure! \"A Short History of Nearly Everything\" by Bill Bryson is a fun and "
                      "readable overview of how we came to understand the world."),
        ("user", "Thanks. Is there something shorter, maybe under 200 pages?"),
    ]),
    ("unicode", "text",
     "Caf\u00e9 cr\u00e8me, na\u00efve fa\u00e7ade \u2014 \u201cquoted\u201d text, "
     "\u6771\u4eac (Tokyo), \u041c\u043e\u0441\u043a\u0432\u0430, emoji \U0001F600 and "
     "math: \u03b1 + \u03b2 \u2264 \u03c0. Translation into English:"),
    ("long_paragraph", "text",
     "The history of timekeeping is a story of ever finer divisions. Early farmers watched the "
     "sun and the seasons, and the first calendars tracked the phases of the moon so that "
     "planting and harvest could be planned. Sundials split the day into hours, but they were "
     "useless at night and under clouds, so water clocks were built that let a vessel fill or "
     "drain at a steady rate. In medieval Europe, monasteries needed to ring bells for prayers at "
     "fixed times, and this demand encouraged the invention of the mechanical clock, driven by a "
     "falling weight and regulated by an escapement. These early machines could drift by a quarter "
     "of an hour each day. The pendulum, studied by Galileo and put to work by Christiaan Huygens "
     "in 1656, reduced the error to less than a minute per day, and the balance spring did the same "
     "for pocket watches. Accurate portable clocks later solved the problem of finding longitude at "
     "sea, which saved countless ships and sailors. In the twentieth century, quartz crystals "
     "vibrating thousands of times per second made cheap and precise watches possible, and atomic "
     "clocks, which count the oscillations of caesium atoms, now define the second itself. Today "
     "the satellites of navigation systems carry atomic clocks, because"),
    ("long_technical", "text",
     "A hash table stores key-value pairs in an array of buckets. To insert a pair, the table "
     "computes a hash of the key, reduces it modulo the number of buckets, and places the pair in "
     "that bucket. Two different keys can land in the same bucket; this is called a collision. "
     "There are two classic ways to handle collisions. With separate chaining, every bucket holds "
     "a small linked list or dynamic array, and colliding pairs are appended to it. With open "
     "addressing, all pairs live directly in the array, and a colliding pair is placed in the next "
     "free slot according to a probing sequence such as linear probing, quadratic probing, or "
     "double hashing. The load factor, defined as the number of stored pairs divided by the "
     "number of buckets, controls performance: when it grows too large, chains get long or probe "
     "sequences get slow, so the table allocates a larger array and reinserts every pair. This "
     "resizing costs time proportional to the number of pairs, but because the capacity usually "
     "doubles, the amortized cost of an insertion remains constant. A good hash function spreads "
     "keys uniformly; a poor one, for example one that ignores most bits of the key, causes many "
     "collisions and can degrade every operation to linear time. For this reason, many languages "
     "randomize their string hash functions at startup, which also protects servers against "
     "attackers who would otherwise"),
]

# The prompts whose 32-token greedy continuation is stored (the first ten).
GREEDY_PROMPTS = [name for name, _, _ in PROMPTS[:10]]
