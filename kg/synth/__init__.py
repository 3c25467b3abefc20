"""Synthetic corpora for benchmarks and tests at scale (``kg synth``).

Owns an invented world of actors and events beside the shared norms (``world``), each document's
claims and their relations (``plan``), their propositions, legal tests and kinds of attack
(``argument``), texts worded around the quotes (``text``), and
``generate``, which writes the corpus folder atomically. Its output is input like any other: a
corpus folder that passes ``kg validate``.

May import: kg.corpus (to fold quotes as the loader will) and the top-level modules; never the
stages that read what it writes, so that it cannot lean on them.
"""
