"""Generate large RAK workbooks in the official layout, for benchmarks.

``python3 bench/gen.py 3000 -o rak_3000.xlsx`` writes a workbook with 3,000 kegiatan
grouped into programs (10 kegiatan each) and sasaran (5 programs each), with realistic
Indonesian text and numbers that pass every rule (a *clean* sheet: Validasi must find
nothing, so the action counts of the benchmark measure the button, not the findings).

Two layouts, both read by ``rak_xl.read``:

* ``official`` (default): the sheet Susun Ulang writes. 4 physical rows per kegiatan
  (TW 1..4), one numeric target per row shown as ``TW 1 = 355`` by its number format,
  the other kegiatan cells on the first row, text merged down and numbers drawn as a box
  over the 4 rows; program and sasaran cells merged over their block; sub-columns
  Target Tahunan | Target TW, Target TW | Anggaran (Rp), Vol. | Sat.; a JUMLAH TOTAL row,
  the signature block and a note below.
* ``compact``: one row per kegiatan, the four quarterly targets as ``TW 1 = 35 TW 2 = -
  TW 3 = 35 TW 4 = 70`` text in one cell, Vol. & Sat. as one text (``140 Orang``), sasaran
  and program cells on the first row of their block only, no merges (written in
  XlsxWriter's constant-memory mode).

The data is deterministic for a given size and seed, so benchmark runs are comparable.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rak_xl.layout import MONTHS

__all__ = ["Counts", "generate", "make_rak"]


# (uraian, indikator, satuan) of additive kegiatan: quarters add up to the volume.
_KEG_COUNT = [
    ("Pelatihan Aparatur Pemerintahan Desa", "Jumlah aparatur desa yang terlatih", "Orang"),
    ("Pembinaan Administrasi Desa", "Jumlah desa lengkap administrasi desa", "Desa"),
    ("Rapat Koordinasi Pemerintahan Desa", "Jumlah dokumen tindak lanjut rapat", "Dokumen"),
    ("Fasilitasi Tata Batas Desa", "Jumlah desa yang selesai tata batas", "Desa"),
    ("Pelaporan LPPDesa", "Jumlah desa tertib laporan LPPDesa", "Desa"),
    ("Sosialisasi Peraturan Pemerintahan Desa", "Jumlah peserta sosialisasi", "Orang"),
    ("Rakor Badan Permusyawaratan Desa", "Jumlah BPD yang memahami tugas", "Desa"),
    ("Fasilitasi Pemilihan Kepala Desa", "Jumlah pelaksanaan pilkades", "Desa"),
    ("Pelantikan Anggota BPD", "Jumlah anggota BPD yang dilantik", "Orang"),
    ("Bimbingan Teknis Pengelolaan Keuangan Desa", "Jumlah bendahara desa terlatih", "Orang"),
    ("Monitoring Penyaluran Dana Desa", "Jumlah laporan monitoring dana desa", "Laporan"),
    ("Pembinaan Lembaga Kemasyarakatan Desa", "Jumlah lembaga yang dibina", "Lembaga"),
    ("Pelatihan Kader Pemberdayaan Masyarakat", "Jumlah kader terlatih", "Orang"),
    ("Fasilitasi Badan Usaha Milik Desa", "Jumlah BUMDes yang difasilitasi", "Unit"),
    ("Lomba Desa dan Kelurahan", "Jumlah desa peserta lomba", "Desa"),
    ("Pendataan Profil Desa", "Jumlah profil desa yang diperbarui", "Dokumen"),
    ("Pembangunan Sarana Air Bersih Perdesaan", "Jumlah titik sarana air bersih", "Titik"),
    ("Penyusunan Rencana Kerja Pemerintah Desa", "Jumlah RKPDes yang tersusun", "Dokumen"),
    ("Pembinaan Posyandu Desa", "Jumlah posyandu yang dibina", "Unit"),
    ("Gelar Teknologi Tepat Guna", "Jumlah inovasi teknologi tepat guna", "Buah"),
    ("Fasilitasi Kerjasama Antar Desa", "Jumlah kerjasama antar desa", "Kali"),
    ("Pelatihan Pengelola BUMDes", "Jumlah pengelola BUMDes terlatih", "Orang"),
]
# Level kegiatan: a percentage that only rises, TW 4 = volume.
_KEG_LEVEL = [
    ("Evaluasi Perkembangan Desa", "Persentase desa berkembang", "%"),
    ("Penguatan Sistem Informasi Desa", "Persentase desa dengan sistem informasi", "%"),
    ("Pendampingan Penyusunan APBDes", "Persentase APBDes tepat waktu", "%"),
    ("Verifikasi Laporan Keuangan Desa", "Persentase laporan keuangan terverifikasi", "%"),
]
_PROGRAMS = [
    "Program Pembinaan Bidang Pemerintahan dan Pengelolaan Keuangan Desa",
    "Program Peningkatan Kapasitas Aparatur Pemerintah Desa",
    "Program Pemberdayaan Lembaga Kemasyarakatan Desa",
    "Program Pengembangan Ekonomi Masyarakat Perdesaan",
    "Program Peningkatan Partisipasi Masyarakat dalam Membangun Desa",
    "Program Pengembangan Teknologi Tepat Guna",
    "Program Penataan Desa dan Kawasan Perdesaan",
    "Program Peningkatan Sarana dan Prasarana Perdesaan",
]
_SASARAN = [
    ("Meningkatnya kualitas perencanaan pembangunan desa", "Skor Evaluasi Perkembangan Desa"),
    ("Meningkatnya kapasitas pemerintahan desa", "Indeks Desa Membangun"),
    ("Meningkatnya keberdayaan masyarakat desa", "Persentase desa mandiri"),
    ("Meningkatnya perekonomian masyarakat desa", "Persentase BUMDes aktif"),
]
_KECAMATAN = [
    "Martapura",
    "Astambul",
    "Karang",
    "Intan",
    "Aranio",
    "Sungai",
    "Pinang",
    "Pengaron",
    "Mataraman",
    "Simpang",
    "Empat",
    "Gambut",
    "Kertak",
    "Hanyar",
    "Beruntung",
    "Baru",
    "Aluh-Aluh",
    "Sambung",
    "Makmur",
    "Paramasan",
    "Telaga",
    "Bauntung",
]

SIGNATURE = (
    "Martapura, Februari 2020",
    "Kepala Dinas",
    "H. Syahrilludin, S.Sos, M.AP",
    "Pembina Utama Muda (IV/c)",
    "NIP. 19650721 198602 1 001",
)


@dataclass
class Counts:
    sasaran: int = 0
    program: int = 0
    kegiatan: int = 0
    rows: int = 0
    merges: int = 0
    blocks: list[int] = field(default_factory=list)  # merged sasaran/program blocks


def _unique(base: str, i: int, pool: int) -> str:
    """``base`` once per parent; past the pool size a location keeps names distinct."""
    return base if i < pool else f"{base} Kecamatan {_KECAMATAN[(i // pool) % len(_KECAMATAN)]}"


def _kegiatan(rng: random.Random, i: int) -> dict[str, Any]:
    level = i % 7 == 6  # a few percentage indicators among the counts
    pool = _KEG_LEVEL if level else _KEG_COUNT
    uraian, indikator, satuan = pool[(i // 7 if level else i) % len(pool)]
    uraian = _unique(uraian, i, len(_KEG_COUNT))
    kas = [0] * 12
    if level:
        volume = rng.randrange(60, 101)
        steps = sorted(rng.randrange(10, volume + 1) for _ in range(3))
        targets: list[int | None] = [*steps, volume]
        for q in range(4):
            kas[3 * q + rng.randrange(3)] = rng.randrange(5, 80) * 1_000_000
    else:
        volume = rng.choice((2, 4, 12, 20, 40, 100, 140, 277, 1416))
        quarters = sorted(rng.sample(range(4), rng.randrange(1, 5)))
        share = [volume // len(quarters)] * len(quarters)
        share[-1] += volume - sum(share)
        targets = [None] * 4
        for q, v in zip(quarters, share, strict=True):
            targets[q] = v
            # Cash in the quarter of each target: no cash without target and vice versa.
            kas[3 * q + rng.randrange(3)] = rng.randrange(5, 300) * 500_000
    return {
        "uraian": uraian,
        "indikator": indikator,
        "volume": volume,
        "satuan": satuan,
        "target_tw": targets,
        "kas_bulanan": kas,
        "ket": None,
    }


def make_rak(
    n_kegiatan: int,
    *,
    per_program: int = 10,
    per_sasaran: int = 5,
    seed: int = 2020,
    faults: int = 0,
) -> dict[str, Any]:
    """The model JSON (DESIGN.md schema) of a RAK with ``n_kegiatan`` kegiatan.

    Clean (no finding) unless ``faults`` > 0: then that many evenly spread additive
    kegiatan get TW 4 one higher, one ``target.additive-sum-mismatch`` each.
    """
    rng = random.Random(seed)
    sasaran: list[dict[str, Any]] = []
    made = 0
    while made < n_kegiatan:
        si = len(sasaran)
        s_uraian, s_ind = _SASARAN[si % len(_SASARAN)]
        tahunan = rng.randrange(70, 100) if "Persentase" in s_ind else rng.randrange(100, 500)
        s: dict[str, Any] = {
            "uraian": _unique(s_uraian, si, len(_SASARAN)).replace("Kecamatan", "di Kecamatan"),
            "indikator": s_ind,
            "target_tahunan": tahunan,
            "target_tw": [None, tahunan // 2, None, tahunan],
            "program": [],
        }
        for pi in range(per_sasaran):
            if made >= n_kegiatan:
                break
            pct = rng.randrange(60, 90)
            keg = [_kegiatan(rng, made + j) for j in range(min(per_program, n_kegiatan - made))]
            made += len(keg)
            s["program"].append(
                {
                    "uraian": _unique(_PROGRAMS[pi % len(_PROGRAMS)], pi, len(_PROGRAMS)),
                    "indikator": "Persentase desa yang dibina",
                    "target_tw": [pct - 30, pct - 20, pct - 10, pct],
                    "anggaran": sum(sum(k["kas_bulanan"]) for k in keg),
                    "kegiatan": keg,
                }
            )
        sasaran.append(s)
    _add_faults(sasaran, faults)
    return {
        "instansi": "Dinas Pemberdayaan Masyarakat dan Desa",
        "kabupaten": "Banjar",
        "tahun": 2020,
        "penandatangan": {
            "tempat_tanggal": SIGNATURE[0],
            "jabatan": SIGNATURE[1],
            "nama": SIGNATURE[2],
            "pangkat": SIGNATURE[3],
            "nip": SIGNATURE[4].removeprefix("NIP. "),
        },
        "sasaran": sasaran,
    }


def _add_faults(sasaran: list[dict[str, Any]], faults: int) -> None:
    keg = [k for s in sasaran for p in s["program"] for k in p["kegiatan"]]
    additive = [k for k in keg if k["satuan"] != "%"]
    if faults <= 0 or not additive:
        return
    step = max(1, len(additive) // faults)
    for k in additive[::step][:faults]:
        q = max(q for q, t in enumerate(k["target_tw"]) if t is not None)
        k["target_tw"][q] += 1


# -- official layout -----------------------------------------------------------------------
# Physical columns (0-based for XlsxWriter): A..Z.
S_UR, S_IND, S_TAH, S_TW, P_UR, P_IND, P_TW, P_ANG = range(8)
K_UR, K_IND, K_VOL, K_SAT, K_TW = range(8, 13)
K_KAS0, K_KET = 13, 25
N_PHYS = 26

_LABELS = [
    "Uraian", "Indikator Kinerja", "Target Tahunan", "Target TW",
    "Uraian", "Indikator Program", "Target TW", "Anggaran (Rp)",
    "Uraian", "Indikator Kinerja", "Vol.", "Sat.", "Target TW",
    *MONTHS, "KET",
]  # fmt: skip
# Logical column number in the numbering row, None for a second sub-column.
_NUMBERING = [1, 2, 3, None, 4, 5, 6, None, 7, 8, 9, None, 10, *range(11, 23), 23]


def _title_and_header(ws: Any, f: dict[str, Any], rak: dict[str, Any], merge: bool) -> int:
    ws.write(0, 0, "RENCANA AKSI KINERJA", f["title"])
    ws.write(1, 0, str(rak["instansi"]).upper(), f["title"])
    ws.write(2, 0, f"KABUPATEN {str(rak['kabupaten']).upper()}", f["title"])
    ws.write(3, 0, f"TAHUN {rak['tahun']}", f["title"])
    g = 5
    groups = [
        (S_UR, S_TW, "SASARAN"),
        (P_UR, P_ANG, "PROGRAM"),
        (K_UR, K_TW, "KEGIATAN"),
        (K_KAS0, K_KAS0 + 11, "ANGGARAN KAS PER BULAN (Rp)"),
    ]
    for c1, c2, text in groups:
        if merge:
            ws.merge_range(g, c1, g, c2, text, f["head"])
        else:
            ws.write(g, c1, text, f["head"])
    ws.write(g, K_KET, "KET", f["head"])
    for c, label in enumerate(_LABELS):
        ws.write(g + 1, c, label, f["head"])
    for c, n in enumerate(_NUMBERING):
        if n is not None:
            ws.write_number(g + 2, c, n, f["head"])
        elif merge:
            ws.merge_range(g + 2, c - 1, g + 2, c, _NUMBERING[c - 1], f["head"])
    return g + 3


def _official(ws: Any, f: dict[str, Any], rak: dict[str, Any], counts: Counts) -> int:
    row = _title_and_header(ws, f, rak, merge=True)
    first_data = row

    def put(r1: int, c: int, r2: int, value: Any, fmt: Any) -> None:
        if r2 > r1:
            ws.merge_range(r1, c, r2, c, value, fmt)
            counts.merges += 1
        elif value is not None:
            ws.write(r1, c, value, fmt)

    def box(r: int, c: int, value: Any, fmt: Any) -> None:
        # Numbers are not merged (as Susun Ulang draws them): the value on the first row,
        # the three rows below bordered as one box.
        ws.write(r, c, value, fmt)
        ws.write_blank(r + 1, c, None, f["mid"])
        ws.write_blank(r + 2, c, None, f["mid"])
        ws.write_blank(r + 3, c, None, f["bottom"])

    def targets(r: int, c: int, tw: list[Any]) -> None:
        for q, v in enumerate(tw):
            if v is not None:
                ws.write_number(r + q, c, v, f["tw"][q])

    totals = [0] * 12
    for s in rak["sasaran"]:
        s_row = row
        for p in s["program"]:
            p_row = row
            for k in p["kegiatan"]:
                last = row + 3
                put(row, K_UR, last, k["uraian"], f["text"])
                put(row, K_IND, last, k["indikator"], f["text"])
                box(row, K_VOL, k["volume"], f["num"])
                put(row, K_SAT, last, k["satuan"], f["text"])
                targets(row, K_TW, k["target_tw"])
                for m, v in enumerate(k["kas_bulanan"]):
                    box(row, K_KAS0 + m, v, f["money"])
                    totals[m] += v
                put(row, K_KET, last, k["ket"], f["text"])
                row += 4
                counts.kegiatan += 1
            p_last = max(row, p_row + 4) - 1
            row = p_last + 1
            put(p_row, P_UR, p_last, p["uraian"], f["text"])
            put(p_row, P_IND, p_last, p["indikator"], f["text"])
            targets(p_row, P_TW, p["target_tw"])
            put(p_row, P_ANG, p_last, p["anggaran"], f["money"])
            counts.program += 1
            counts.blocks.append(p_last - p_row + 1)
        put(s_row, S_UR, row - 1, s["uraian"], f["text"])
        put(s_row, S_IND, row - 1, s["indikator"], f["text"])
        put(s_row, S_TAH, row - 1, s["target_tahunan"], f["num"])
        targets(s_row, S_TW, s["target_tw"])
        counts.sasaran += 1
        counts.blocks.append(row - s_row)
    # Grand total as live formulas with their cached values (as Excel saves them).
    ws.write(row, K_UR, "JUMLAH TOTAL", f["total"])
    for m in range(12):
        col = _col(K_KAS0 + m)
        ws.write_formula(row, K_KAS0 + m, f"=SUM({col}{first_data + 1}:{col}{row})",
                         f["money"], totals[m])  # fmt: skip
    return row + 1


def _col(c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _tw_text(tw: list[Any]) -> str:
    return " ".join(f"TW {q + 1} = {'-' if v is None else v}" for q, v in enumerate(tw))


def _compact(ws: Any, f: dict[str, Any], rak: dict[str, Any], counts: Counts) -> int:
    row = _title_and_header(ws, f, rak, merge=False)
    for s in rak["sasaran"]:
        s_first = True
        counts.sasaran += 1
        for p in s["program"]:
            p_first = True
            counts.program += 1
            for k in p["kegiatan"]:
                if s_first:
                    ws.write(row, S_UR, s["uraian"], f["text"])
                    ws.write(row, S_IND, s["indikator"], f["text"])
                    ws.write(row, S_TAH, s["target_tahunan"], f["num"])
                    ws.write(row, S_TW, _tw_text(s["target_tw"]), f["text"])
                    s_first = False
                if p_first:
                    ws.write(row, P_UR, p["uraian"], f["text"])
                    ws.write(row, P_IND, p["indikator"], f["text"])
                    ws.write(row, P_TW, _tw_text(p["target_tw"]), f["text"])
                    ws.write(row, P_ANG, p["anggaran"], f["money"])
                    p_first = False
                ws.write(row, K_UR, k["uraian"], f["text"])
                ws.write(row, K_IND, k["indikator"], f["text"])
                # Vol. & Sat. as one text ("140 Orang") in the Vol. column, as typed.
                ws.write(row, K_VOL, f"{k['volume']} {k['satuan']}", f["text"])
                ws.write(row, K_TW, _tw_text(k["target_tw"]), f["text"])
                for m, v in enumerate(k["kas_bulanan"]):
                    ws.write(row, K_KAS0 + m, v, f["money"])
                row += 1
                counts.kegiatan += 1
    return row


def _signature(ws: Any, f: dict[str, Any], row: int) -> int:
    col = K_KAS0 + 8
    row += 1
    tanggal, jabatan, nama, pangkat, nip = SIGNATURE
    for text in (tanggal, jabatan, None, None, nama, pangkat, nip):
        if text is not None:
            ws.write(row, col, text, f["plain"])
        row += 1
    row += 1
    ws.write(row, 0, "Penjelasan cara pengisian :", f["plain"])
    return row + 1


def generate(
    path: Path,
    n_kegiatan: int,
    *,
    layout: str = "official",
    per_program: int = 10,
    per_sasaran: int = 5,
    seed: int = 2020,
    faults: int = 0,
) -> Counts:
    """Write a RAK workbook with ``n_kegiatan`` kegiatan to ``path`` (.xlsx); clean unless
    ``faults`` > 0 (see ``make_rak``)."""
    import xlsxwriter

    rak = make_rak(
        n_kegiatan, per_program=per_program, per_sasaran=per_sasaran, seed=seed, faults=faults
    )
    counts = Counts()
    # Constant-memory mode writes each row once, in order: fine without merges only.
    options = {"constant_memory": layout == "compact"}
    with xlsxwriter.Workbook(str(path), options) as wb:
        ws = wb.add_worksheet("RAK")
        base = {"font_name": "Arial", "font_size": 9, "valign": "top", "border": 1}
        f: dict[str, Any] = {
            "title": wb.add_format({"bold": True, "font_name": "Arial", "font_size": 12}),
            "head": wb.add_format({**base, "bold": True, "align": "center", "text_wrap": True}),
            "text": wb.add_format({**base, "text_wrap": True}),
            "num": wb.add_format({**base, "num_format": "#,##0"}),
            "money": wb.add_format({**base, "num_format": '#,##0;-#,##0;"-"'}),
            "total": wb.add_format({**base, "bold": True}),
            "plain": wb.add_format({"font_name": "Arial", "font_size": 9}),
            "mid": wb.add_format({**base, "border": 0, "left": 1, "right": 1}),
            "bottom": wb.add_format({**base, "border": 0, "left": 1, "right": 1, "bottom": 1}),
            "tw": [
                wb.add_format({**base, "num_format": f'"TW {q + 1} = "General'}) for q in range(4)
            ],
        }
        ws.set_column(S_UR, S_UR, 28)
        ws.set_column(P_UR, P_UR, 28)
        ws.set_column(K_UR, K_IND, 30)
        ws.set_column(K_KAS0, K_KAS0 + 11, 14)
        ws.freeze_panes(8, 0)
        write = _official if layout == "official" else _compact
        row = write(ws, f, rak, counts)
        counts.rows = _signature(ws, f, row)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
    return counts


def sizes_of(text: str) -> Iterator[int]:
    for part in text.split(","):
        yield int(part.replace("_", ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Tulis workbook RAK besar untuk benchmark.")
    ap.add_argument("kegiatan", type=int, help="jumlah kegiatan")
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--layout", choices=("official", "compact"), default="official")
    ap.add_argument("--per-program", type=int, default=10)
    ap.add_argument("--per-sasaran", type=int, default=5)
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--faults", type=int, default=0, help="kegiatan dengan target salah")
    ap.add_argument("--check", action="store_true", help="baca ulang dengan rak_xl.api.load")
    args = ap.parse_args(argv)
    counts = generate(
        args.output,
        args.kegiatan,
        layout=args.layout,
        per_program=args.per_program,
        per_sasaran=args.per_sasaran,
        seed=args.seed,
        faults=args.faults,
    )
    print(
        f"{args.output}: {counts.sasaran} sasaran, {counts.program} program, "
        f"{counts.kegiatan} kegiatan, {counts.rows} baris, {counts.merges} merge"
    )
    if args.check:
        from rak_xl.api import load

        got = sum(1 for _ in load(args.output).kegiatan_all())
        if got != counts.kegiatan:
            print(f"dibaca ulang: {got} kegiatan, bukan {counts.kegiatan}", file=sys.stderr)
            return 1
        print(f"dibaca ulang: {got} kegiatan")
    return 0


if __name__ == "__main__":
    sys.exit(main())
