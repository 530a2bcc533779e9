"""The linguist's glossary workbench: corpus-wide term audit and bilingual term mining.

Sits above the glossary model and matcher (``transpipe.terms``) because it reads the files and
memories the rest of transpipe writes: texts, PO/TMX/XLIFF (``formats``), the translation
memory (``tm.store``) and aligned article pairs (``align``).

- :mod:`audit` / :mod:`audit_html`: forbidden variants and unapproved renderings, per file and
  line, and the distribution of renderings per concept (``transpipe glossary audit``);
- :mod:`sources`: the bilingual units mining and audit read;
- :mod:`mining`, :mod:`termhood`, :mod:`proposals`: candidate term pairs ranked and written for
  review (``transpipe glossary mine``).
"""
