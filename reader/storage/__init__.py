"""Crash-safe persistence: atomic TinyDB storage, inter-process locks, the two stores."""
