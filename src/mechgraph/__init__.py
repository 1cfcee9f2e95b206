"""mechgraph: mechanism pathway graphs.

Signed, cited YAML edge lists -> a validated model (:mod:`mechgraph.load`) -> one
``networkx.MultiDiGraph`` (:mod:`mechgraph.graph`) -> questions
(:mod:`mechgraph.query`) and Graphviz figures (:mod:`mechgraph.dot`,
:mod:`mechgraph.render`). Import the module you need; this package imports nothing
heavy, so ``mechgraph --help`` stays fast.
"""

__version__ = "0.1.0"
