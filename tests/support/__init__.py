"""What the tests share: apps and users, databases, forms, real servers on loopback (mail,
captcha, object store, Redis), faults to inject; the fixtures built on them (conftest plugins)."""
