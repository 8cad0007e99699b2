"""Field-visit personas: three field agents of the organisation (two go, one stays behind)."""

from __future__ import annotations

import pytest

from arrears.core.roles import Role
from tests.conftest import make_user


@pytest.fixture
def fa1(org):
    return make_user("fa1", Role.FIELD_AGENT, org)


@pytest.fixture
def fa2(org):
    return make_user("fa2", Role.FIELD_AGENT, org)


@pytest.fixture
def fa3(org):
    return make_user("fa3", Role.FIELD_AGENT, org)


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 200
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + b"\x00" * 200
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00" + b"\x00" * 200  # a phone's video
PDF = b"%PDF-1.4\n" + b"\x00" * 200
