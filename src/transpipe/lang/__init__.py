"""Language knowledge of Russian and English, in one place; other packages ask it.

One owner per kind of knowledge, and no other package keeps a copy:

- ``codes``: language codes (normalise, primary subtag, match a variant);
- ``script``: Cyrillic and Latin letters, and Russian-or-English detection by script;
- ``chars``: characters read as the same (ё/е, typographic quotes, hyphens and dashes);
- ``english``: plurals, singulars, the possessive, matching variants;
- ``morphology``: the process-wide Russian analyzer (the only pymorphy3 importer) with typed
  results; ``russian``: cases governed by prepositions;
- ``names``: Russian personal names and how they inflect; ``phrases``: Russian noun phrases
  (terms) in every case and number, hyphenated noun pairs included;
- ``numbers`` and ``dates``: numbers in digits and words, scales, Roman numerals, months;
- ``translit``: romanisation and the cross-script name skeleton;
- ``boilerplate``: fixed translations of page navigation lines;
- ``resources``: the data files in ``lang/data`` (segmentation rules, boilerplate table).

The package depends only on ``transpipe.errors`` and third-party libraries, so every layer
may use it.
"""
