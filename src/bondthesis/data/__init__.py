"""From the providers to the pure analysis: the store, its schema, point-in-time panels, the refresh
and the loaders that turn what the store holds into the inputs of the pure modules.

Only this package reads or writes the store; percent-to-decimal happens here, once.
"""
