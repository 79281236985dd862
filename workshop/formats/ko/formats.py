# Korean dates: "2026년 12월 1일", "2026년 12월 1일 14:05" (Django's own Korean formats, with a 24-hour clock).
DATE_FORMAT = "Y년 n월 j일"
DATETIME_FORMAT = "Y년 n월 j일 H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "Y년 n월 j일"
SHORT_DATETIME_FORMAT = "Y년 n월 j일 H:i"
