"""The PDF's streams deflated at zlib's default level, where pydyf uses its slowest.

pydyf deflates every stream it writes at level 9 (no setting), a PDF's largest part of its
writing in C: a certificate's content stream, its two font subsets and their character maps
took ≈ 0.5 ms of a certificate's ≈ 15, for files 0.1 % smaller than at level 6 (the level
zlib itself defaults to). ``deflated`` is a finisher (WeasyPrint's public hook, called before
the PDF is written): it deflates those streams itself and hands them to pydyf as they are,
each marked ``/FlateDecode`` as pydyf marks its own. What pydyf makes while writing (the
object stream and the cross-reference stream) is still deflated by pydyf.
"""

import zlib

#: zlib's default: as small as level 9 (within 0.1 % on a certificate), about twice as fast.
LEVEL = 6


def _bytes(item):
    """A stream's item as bytes, as pydyf writes it (``pydyf._to_bytes``, 0.13)."""
    import pydyf

    if isinstance(item, bytes):
        return item
    if isinstance(item, float):
        text = str(int(item)) if item.is_integer() else f"{item:f}".rstrip("0")
        return text.encode("ascii")
    if isinstance(item, pydyf.Object):
        return item.data
    return str(item).encode("ascii")


def deflated(document, pdf):
    """Deflate at ``LEVEL`` each stream of ``pdf`` that pydyf would deflate (a finisher)."""
    import pydyf

    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and stream.compress:
            data = zlib.compress(b"\n".join(map(_bytes, stream.stream)), LEVEL)
            stream.stream, stream.compress = [data], False
            stream.extra["Filter"] = "/FlateDecode"
