Attribute VB_Name = "RakButtons"
' Tombol pada sheet RAK. Setiap makro menjalankan fungsi Python di rak_xl.buttons
' lewat xlwings (RunPython); pengaturan Python ada di sheet xlwings.conf.
' Dibangun dari rak_xl/xlsm/vba/RakButtons.bas oleh `rak-xl template`.
Option Explicit

Sub Validasi()
    RunPython "import rak_xl.buttons; rak_xl.buttons.validasi()"
End Sub

Sub HitungUlang()
    RunPython "import rak_xl.buttons; rak_xl.buttons.hitung_ulang()"
End Sub

Sub SusunUlang()
    RunPython "import rak_xl.buttons; rak_xl.buttons.susun_ulang()"
End Sub

Sub Batalkan()
    RunPython "import rak_xl.buttons; rak_xl.buttons.batalkan()"
End Sub
