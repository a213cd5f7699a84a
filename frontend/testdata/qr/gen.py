"""Reference QR symbols for frontend/assets/js/widgets/qr.js.

Run from frontend/:  /usr/bin/python3 testdata/qr/gen.py > testdata/qr/golden.json
It needs Debian's python3-qrcode (7.4.2 when the file was made). Each case
is byte mode, error correction level M and a fixed mask, so the symbol is
fully determined and the browser test can compare module by module.
"""
import json, qrcode, qrcode.util, sys
out = []
# Every mask on a join link (version 3); then versions 1, 3, 6, 8 and 15 (version
# information from 7 on), and UTF-8 text.
cases = [("http://127.0.0.1:8080/join?code=K7QP2M", m) for m in range(8)]
cases += [("hello", 2), ("https://readi.example.org/join?code=ABCDEF", 5), ("x" * 150, 3), ("https://forum-lan.local/join?code=" + "Z"*60 + "ไทย", 6), ("y"*400, 1)]
for text, mask in cases:
    qr = qrcode.QRCode(version=None, error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=mask)
    qr.add_data(qrcode.util.QRData(text.encode("utf-8"), mode=qrcode.util.MODE_8BIT_BYTE))
    qr.make(fit=True)
    m = qr.get_matrix()
    out.append({"text": text, "mask": mask, "version": qr.version, "rows": ["".join("1" if c else "0" for c in r) for r in m]})
json.dump(out, sys.stdout, ensure_ascii=False, indent=0)
sys.stdout.write("\n")
