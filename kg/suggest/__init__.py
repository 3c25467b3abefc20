"""The annotation assistant (``kg suggest``): drafts a document's claims for a scholar to review.

Owns reading a stored document the way an annotator does (``text``: sentences and paragraphs,
quoted speech), finding what the catalogues know in it (``mentions``: actors, events, names no
catalogue knows; ``citations``: norms cited or designated), who speaks each passage
(``attribution``), when (``dates``), with what stance and on which elements of a legal test
(``cues``, over the data of ``lexicon.yaml``), which claims of the other documents a draft answers
(``links``), and the draft itself (``draft``), written in exactly the annotation format with its
reasons (``writer``); ``assistant.suggest`` is the command. Rules only, each named in the draft's
notes: no statistical model, no network.

May import: kg.corpus (the loader, catalogues and quote folding) and the top-level modules;
never the stages that build or read the graph.
"""
