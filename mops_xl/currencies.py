"""ISO 4217 currency codes and the symbols the report uses for the common ones."""

#: Active ISO 4217 alphabetic codes (the list maintained by SIX, as of 2024).
ISO_4217 = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD
KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO
NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS
SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND
VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
""".split())

#: Symbols shown in number formats; other currencies are shown with their ISO code.
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹", "KRW": "₩",
           "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "CHF": "CHF ", "SEK": "kr ", "NOK": "kr ", "DKK": "kr ",
           "BRL": "R$", "MXN": "MX$", "ZAR": "R ", "SGD": "S$", "HKD": "HK$", "PLN": "zł "}


def symbol(code: str) -> str:
    """Return the prefix used to show money in ``code``: a symbol, else the code and a space.

    Args:
        code: An ISO 4217 code.

    Returns:
        The prefix, e.g. ``"$"`` or ``"THB "``.
    """
    return SYMBOLS.get(code, f"{code} ")
