"""Fake-tensor factories for lowering tests."""
