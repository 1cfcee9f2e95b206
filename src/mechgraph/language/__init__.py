"""The pathway language: YAML files -> a checked :class:`~mechgraph.model.Project`.

``parse`` reads YAML into a located tree, ``fields`` checks values, ``catalog`` owns
entities, compartments, figures and experiments, ``load`` ties them into a project;
``curie`` knows cross-reference prefixes; ``pathway.schema.json`` is the language for editors
(``schema`` finds it and writes the editor line that names it).
"""
