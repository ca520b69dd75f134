"""pydantic v2 models: the contracts of advisor (requirements, catalogue, rules, advice)."""
