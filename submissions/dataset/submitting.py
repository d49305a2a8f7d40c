"""What the dataset's PKs went through after signing: the signed softcopies (one small
PDF shared by all), the provinces' compilations, the submissions with their decisions and
hardcopies, the deliveries to the ministries, and the history row of each transition."""

import datetime
from collections import Counter

from agreements.models import (
    AgreementEvent,
    SignatureMethod,
    SignedDocument,
)
from submissions.dataset.plan import RETURN_NOTES
from submissions.models import (
    Compilation,
    CompilationStatus,
    Decision,
    OutgoingDelivery,
    Submission,
)
from submissions.routing import MINISTRIES, Channel, route_for


def sample_pdf(year: int) -> bytes:
    """A one-page PDF that says it is demo data (valid enough for any PDF reader)."""
    text = f"Contoh softcopy PK {year} - data demo PK Portal".encode()
    stream = b"BT /F1 14 Tf 72 770 Td (" + text + b") Tj ET"
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


def write_compilations(year, stages, compile_at, plans, generator, clock) -> dict[int, Compilation]:
    """One compilation per province that has compiled: done, and submitted to KPU or not."""
    counts = Counter(
        p.unit["province_id"]
        for p in plans
        if p.stage in {"submitted", "compiled"} and p.submissions
    )
    made = []
    for province_id, stage in stages.items():
        if stage not in {"submitted", "compiled"}:
            continue
        compiled = compile_at[province_id]
        made.append(
            Compilation(
                province_id=province_id,
                year=year,
                status=CompilationStatus.DONE,
                progress=counts[province_id],
                total=counts[province_id],
                report={"dataset": True},
                requested_by=generator,
                finished_at=compiled,
                submitted_at=compiled + datetime.timedelta(hours=20)
                if stage == "submitted"
                else None,
                submitted_by=generator if stage == "submitted" else None,
            )
        )
    Compilation.objects.bulk_create(made)
    return {c.province_id: c for c in made}


def write_signed_documents(chunk, agreements, generator, pdf_name, pdf_sha, report) -> dict:
    """Signed documents: one per signed revision, all sharing the stored file, bulk-inserted.
    Returns them by (agreement pk, revision); adds their number to `report`."""
    documents: dict[tuple[int, int], SignedDocument] = {}
    for plan, agreement in zip(chunk, agreements, strict=True):
        revisions = {s.revision for s in plan.submissions}
        if plan.status == "ditandatangani":
            revisions.add(plan.revision)
        method = (
            SignatureMethod.WET
            if route_for(plan.pk_kind).needs_scan
            else SignatureMethod.ELECTRONIC
        )
        for revision in sorted(revisions):
            documents[(agreement.pk, revision)] = SignedDocument(
                agreement=agreement,
                revision=revision,
                method=method,
                file=pdf_name,
                sha256=pdf_sha,
                page_count=1,
                is_complete=True,
                created_by=generator,
            )
    SignedDocument.objects.bulk_create(documents.values(), batch_size=1000)
    report.signed_documents += len(documents)
    return documents


def write_submissions(
    year, chunk, agreements, documents, kpu, rng, clock, generator, reviewers, compilations, report
):
    """Submissions, their decisions, hardcopies, the deliveries to the ministries and the
    history rows of each transition, bulk-inserted with their planned times. Adds the
    submissions written to `report`."""
    submissions, sent_times, events, event_times, deliveries = [], [], [], [], []
    for plan, agreement in zip(chunk, agreements, strict=True):
        route = route_for(plan.pk_kind)
        unit = plan.unit
        destination = {
            Channel.KPU: kpu["id"] if kpu else None,
            Channel.PROVINSI: unit["province_id"],
            Channel.INTERNAL: unit["parent_id"],
        }.get(route.channel)
        compilation = compilations.get(unit["province_id"]) if route.compiled_by_province else None
        if plan.outcome == "kembali_penyetuju":
            events.append(
                AgreementEvent(
                    agreement=agreement,
                    revision=plan.revision,
                    action="return",
                    from_status="diajukan",
                    to_status="dikembalikan",
                    note=rng.choice(RETURN_NOTES),
                    actor=generator,
                )
            )
            event_times.append(clock.between(clock.start, clock.end))
        for planned in plan.submissions:
            decided = planned.decision != Decision.PENDING
            reviewer = rng.choice(reviewers) if decided and route.reviewed_nationally else None
            sent_on = planned.submitted_at.date()
            submission = Submission(
                agreement=agreement,
                revision=planned.revision,
                channel=route.channel,
                destination_id=destination,
                softcopy=documents[(agreement.pk, planned.revision)],
                submitted_by=generator,
                compilation=compilation,
                decision=planned.decision,
                decided_by=reviewer or (generator if decided else None),
                decided_at=planned.decided_at,
                decision_note=planned.note,
            )
            if route.needs_hardcopy and rng.random() < 0.85:
                submission.hardcopy_sent_on = sent_on + datetime.timedelta(days=rng.randint(0, 3))
                if rng.random() < 0.7:
                    submission.hardcopy_received_on = min(
                        submission.hardcopy_sent_on + datetime.timedelta(days=rng.randint(2, 7)),
                        clock.end.date(),
                    )
                    if route.compiled_by_province:
                        submission.archive_location = (
                            f"Lemari arsip PK {year}, rak {rng.randint(1, 6)}"
                        )
            submissions.append(submission)
            sent_times.append(planned.submitted_at)
            events.append(
                AgreementEvent(
                    agreement=agreement,
                    revision=planned.revision,
                    action="deliver",
                    from_status="ditandatangani",
                    to_status="disampaikan",
                    actor=generator,
                )
            )
            event_times.append(planned.submitted_at)
            if decided:
                accepted = planned.decision == Decision.ACCEPTED
                events.append(
                    AgreementEvent(
                        agreement=agreement,
                        revision=planned.revision + (0 if accepted else 1),
                        action="accept" if accepted else "review_return",
                        from_status="disampaikan",
                        to_status="diterima" if accepted else "dikembalikan",
                        note=planned.note,
                        actor=reviewer or generator,
                    )
                )
                event_times.append(planned.decided_at)
            if route.channel == Channel.MINISTRIES:
                for number, ministry in enumerate(MINISTRIES, start=1):
                    deliveries.append((submission, ministry, sent_on, f"TT/{year}/{number:02d}"))
    Submission.objects.bulk_create(submissions, batch_size=500)
    for submission, moment in zip(submissions, sent_times, strict=True):
        submission.submitted_at = moment  # auto_now_add set it to now on insert
    Submission.objects.bulk_update(submissions, ["submitted_at"], batch_size=500)
    AgreementEvent.objects.bulk_create(events, batch_size=1000)
    for event, moment in zip(events, event_times, strict=True):
        event.at = moment
    AgreementEvent.objects.bulk_update(events, ["at"], batch_size=500)
    OutgoingDelivery.objects.bulk_create(
        [
            OutgoingDelivery(submission=s, recipient=r, sent_on=d, receipt_number=n)
            for s, r, d, n in deliveries
        ]
    )
    report.submissions += len(submissions)
