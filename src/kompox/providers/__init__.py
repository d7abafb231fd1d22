"""Provider drivers (adapters): registry, port adapters, and one package per provider."""
