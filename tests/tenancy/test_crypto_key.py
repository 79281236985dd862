"""The field-encryption key is derived once per key, not on every memory or reflection read or written, and a
changed key still takes effect at once."""

from workshop.tenancy import crypto


def test_the_key_is_built_once_for_many_reads_and_writes(monkeypatch):
    built = []
    real = crypto.Fernet
    monkeypatch.setattr(crypto, "Fernet", lambda key: built.append(key) or real(key))
    crypto._fernet_for.cache_clear()

    tokens = [crypto.encrypt_text(f"memory {i}") for i in range(20)]

    assert [crypto.decrypt_text(t) for t in tokens] == [f"memory {i}" for i in range(20)]
    assert len(built) == 1


def test_a_changed_secret_key_is_used_at_once(settings):
    crypto._fernet_for.cache_clear()
    token = crypto.encrypt_text("my canoe trip")
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40

    assert crypto.decrypt_text(token) == ""  # no longer readable: the new key is in use, not a cached one
    assert crypto.decrypt_text(crypto.encrypt_text("my canoe trip")) == "my canoe trip"
