"""Partner suggestions: which registered organisations fit a project, ranked and explained.

:mod:`workflow.matching.text` folds Norwegian text and matches keywords through inflections
and compounds; :mod:`workflow.matching.index` keeps an in-process index of the organisation
profiles (a TF-IDF matrix of character n-grams and per-organisation arrays), rebuilt when the
registry or the partnerships change; :mod:`workflow.matching.suggest` ranks against it.
"""
