"""Questions over the graph: signed search, net effects, shared nodes, paths, knockouts.

Free functions that take the graph first; ``query`` gathers the public verbs.
"""
