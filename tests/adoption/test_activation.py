"""Bulk activation: codes hashed, single use, expiring, revocable; letters as one PDF; e-mail to
a real local SMTP server; the /aktivasi/ page (throttled, one generic message); "Lupa kata
sandi"."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kinerja.adoption import activation
from kinerja.adoption.choices import ActivationScope
from kinerja.adoption.documents import activation_letters_pdf
from kinerja.adoption.models import ActivationCode, HelpdeskContact
from kinerja.core.models import AuditLog
from kinerja.organisation.models import User
from tests.conftest import Org

from .conftest import Mailbox

NEW_PASSWORD = "Bukitintan-Sehat-2026"


def issue(org: Org, persona: str = "admin_opd", **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("scope", ActivationScope.OPD)
    kwargs.setdefault("unit", org.dinkes)
    return activation.activation_issue(by=org.users[persona], **kwargs)


def test_an_admin_opd_issues_codes_for_the_not_yet_activated_people_of_their_opd(
    org: Org,
) -> None:
    issued = issue(org, send_email=False)
    names = {letter.nip for letter in issued.letters}
    assert names == {org.unit_head.nip, org.supervisor.nip, org.employee.nip, org.peer.nip}
    assert org.other_employee.nip not in names
    # The peer had no account: one is made, without a usable password.
    peer = User.objects.get(employee=org.peer)
    assert not peer.has_usable_password()
    # Only hashes are stored.
    stored = set(ActivationCode.objects.values_list("code_hash", flat=True))
    assert all(letter.code not in stored for letter in issued.letters)
    assert {activation.code_hash(letter.code) for letter in issued.letters} == stored
    entry = AuditLog.objects.get(object_type="adoption.activationbatch")
    assert entry.actor == org.users["admin_opd"] and entry.changes["count"] == 4


def test_an_admin_opd_cannot_reach_another_opd(org: Org) -> None:
    with pytest.raises(ValidationError):
        issue(org, unit=org.disdik)


def test_activated_accounts_are_left_out(org: Org) -> None:
    User.objects.filter(employee=org.employee).update(last_login=timezone.now())
    issued = issue(org, send_email=False)
    assert org.employee.nip not in {letter.nip for letter in issued.letters}


def test_a_code_sets_the_password_once(org: Org) -> None:
    letter = next(x for x in issue(org, send_email=False).letters if x.nip == org.employee.nip)
    user = activation.activation_redeem(
        nip=org.employee.nip, code=letter.code, password=NEW_PASSWORD
    )
    assert user.check_password(NEW_PASSWORD) and not user.must_change_password
    with pytest.raises(ValidationError) as again:
        activation.activation_redeem(nip=org.employee.nip, code=letter.code, password=NEW_PASSWORD)
    assert again.value.messages == [activation.GENERIC_ERROR]


def test_a_code_typed_with_dashes_and_lower_case_works(org: Org) -> None:
    letter = next(x for x in issue(org, send_email=False).letters if x.nip == org.peer.nip)
    typed = letter.code_display.lower()
    user = activation.activation_redeem(nip=org.peer.nip, code=typed, password=NEW_PASSWORD)
    assert user.employee_id == org.peer.pk


def test_the_wrong_person_an_expired_or_a_revoked_code_get_the_same_answer(
    org: Org, time_machine
) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-07-01 09:00 +07:00")
    first = issue(org, send_email=False, days=5)
    letter = next(x for x in first.letters if x.nip == org.employee.nip)
    with pytest.raises(ValidationError) as wrong_person:
        activation.activation_redeem(nip=org.peer.nip, code=letter.code, password=NEW_PASSWORD)
    time_machine.move_to("2026-07-07 09:00 +07:00")
    with pytest.raises(ValidationError) as expired:
        activation.activation_redeem(nip=org.employee.nip, code=letter.code, password=NEW_PASSWORD)
    second = issue(org, send_email=False)
    old = next(x for x in second.letters if x.nip == org.supervisor.nip)
    issue(org, send_email=False)  # a reprint revokes the codes printed before
    with pytest.raises(ValidationError) as revoked:
        activation.activation_redeem(nip=org.supervisor.nip, code=old.code, password=NEW_PASSWORD)
    messages = {tuple(e.value.messages) for e in (wrong_person, expired, revoked)}
    assert messages == {(activation.GENERIC_ERROR,)}


def test_the_letters_are_one_pdf_with_one_page_per_person_and_a_qr_to_the_page(org: Org) -> None:
    issued = issue(org, send_email=False)
    data = activation_letters_pdf(issued.letters, expires_at=issued.batch.expires_at)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == len(issued.letters) == 4
    text = reader.pages[0].extract_text()
    first = issued.letters[0]
    assert first.nip in text and first.code_display in text and "aktivasi/" in text
    assert first.url.endswith(f"/aktivasi/?kode={first.code_display}")


def test_the_issue_page_answers_with_the_pdf(org: Org) -> None:
    client = Client()
    client.force_login(org.users["bkpsdm"])
    response = client.post(
        reverse("adoption:activation_issue"),
        {"scope": "unit", "unit": org.puskesmas.pk, "days": 30},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 3  # supervisor, nurse, midwife


def test_codes_go_by_email_to_the_local_smtp_server(
    org: Org, smtp: Mailbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(employee=org.employee).update(email="siti@dinkes.example.id")
    with django_capture_on_commit_callbacks(execute=True):
        issued = issue(org)
    assert issued.batch.emailed == 1
    [message] = smtp.to("siti@dinkes.example.id")
    body = Mailbox.body(message)
    letter = next(x for x in issued.letters if x.nip == org.employee.nip)
    assert letter.code_display in body and org.employee.nip in body


def test_the_page_activates_and_logs_in(org: Org) -> None:
    letter = next(x for x in issue(org, send_email=False).letters if x.nip == org.employee.nip)
    client = Client()
    page = client.get(reverse("adoption:activate") + f"?kode={letter.code_display}")
    assert letter.code_display in page.content.decode()
    response = client.post(
        reverse("adoption:activate"),
        {
            "nip": org.employee.nip,
            "code": letter.code_display,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("home:home")
    assert client.get(reverse("home:home")).context["user"].employee_id == org.employee.pk


def test_a_wrong_nip_on_the_page_gets_the_generic_message_and_changes_nothing(org: Org) -> None:
    letter = next(x for x in issue(org, send_email=False).letters if x.nip == org.employee.nip)
    response = Client().post(
        reverse("adoption:activate"),
        {
            "nip": org.peer.nip,
            "code": letter.code,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert activation.GENERIC_ERROR in response.content.decode()
    assert not User.objects.get(employee=org.employee).check_password(NEW_PASSWORD)
    assert ActivationCode.objects.filter(used_at__isnull=False).count() == 0


def test_guessing_is_throttled(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ADOPTION_ACTIVATION_RATE_LIMIT = "3/900"
    letter = next(x for x in issue(org, send_email=False).letters if x.nip == org.employee.nip)
    client = Client()
    data = {"nip": org.employee.nip, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    statuses = [
        client.post(reverse("adoption:activate"), {**data, "code": "AAAAA-AAAAA"}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 200]
    # The fourth try is refused even with the right code.
    refused = client.post(reverse("adoption:activate"), {**data, "code": letter.code})
    assert refused.status_code == 429
    assert not User.objects.get(employee=org.employee).check_password(NEW_PASSWORD)


def test_forgotten_password_by_email(
    org: Org, smtp: Mailbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(employee=org.employee).update(email="siti@dinkes.example.id")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("adoption:password_reset"), {"nip": org.employee.nip})
    assert "tautan untuk membuat kata sandi baru sudah kami kirim" in response.content.decode()
    [message] = smtp.to("siti@dinkes.example.id")
    link = re.search(r"http\S+/lupa-kata-sandi/\S+/", Mailbox.body(message)).group(0)  # type: ignore[union-attr]
    path = link.split("://", 1)[1].split("/", 1)[1]
    done = client.post("/" + path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert User.objects.get(employee=org.employee).check_password(NEW_PASSWORD)
    assert client.get("/" + path).status_code == 404  # used once


def test_forgotten_password_without_email_names_whom_to_ask(org: Org) -> None:
    org.users["admin_opd"].display_name = "Rudi Admin Dinkes"
    org.users["admin_opd"].email = "admin@dinkes.example.id"
    org.users["admin_opd"].save()
    HelpdeskContact.objects.create(opd=org.dinkes, name="Helpdesk Dinkes", phone="0812-1111-2222")
    response = Client().post(reverse("adoption:password_reset"), {"nip": org.employee.nip})
    page = response.content.decode()
    assert "Rudi Admin Dinkes" in page and "admin@dinkes.example.id" in page
    assert "0812-1111-2222" in page


def test_an_unknown_nip_learns_nothing(org: Org) -> None:
    response = Client().post(reverse("adoption:password_reset"), {"nip": "199001012020011999"})
    assert "tautan untuk membuat kata sandi baru sudah kami kirim" in response.content.decode()


def test_code_expiry_follows_the_setting(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ADOPTION_ACTIVATION_DAYS = 10
    issued = issue(org, send_email=False)
    assert issued.batch.expires_at - issued.batch.created_at == timedelta(days=10)
