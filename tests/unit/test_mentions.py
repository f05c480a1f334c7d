"""``@email`` mentions in a comment, and mail subjects kept on one line."""

from __future__ import annotations

from workflow.services.discussion import _one_line, mentioned_emails


def test_mentions_are_addresses_after_an_at_sign_distinct_and_lower_cased():
    body = (
        "Hei @Kari@Trondheim.Kommune.no, se @nils@ntnu.no. Igjen @kari@trondheim.kommune.no! "
        "Ikke en omtale: ola@example.no, @ikke-en-adresse, `@x` eller @a@b"
    )
    assert mentioned_emails(body) == ["kari@trondheim.kommune.no", "nils@ntnu.no"]


def test_at_most_twenty_people_are_told_of_one_comment():
    body = " ".join(f"@u{n}@example.no" for n in range(30))
    assert len(mentioned_emails(body)) == 20


def test_line_breaks_never_reach_a_subject():
    assert _one_line("Olivia\r\nBcc: alle@example.no\n Eier") == "Olivia Bcc: alle@example.no Eier"
