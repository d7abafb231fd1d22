"""The domain layer: resource models, options, errors, naming and ports.

It imports no other project package and no third-party SDK.
"""
