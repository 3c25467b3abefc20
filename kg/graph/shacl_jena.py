"""SHACL validation by Apache Jena, in one long-lived Java process fed batches of units.

pySHACL spends about a tenth of a second on each document; Jena SHACL checks the same units about
ten times faster, with the same results on our shapes (``tests/graph/test_shacl_engines.py``
holds it to that). A JVM costs seconds to start and gigabytes if handed a large corpus whole, so
one process is started per build and fed batches of units as files; its heap is capped, and a
batch holds a few dozen documents. Java runs ``shacl_jena.java`` (beside this module) with the
source launcher: nothing is compiled or committed, but it needs a JDK (``javac``'s module).

Debian's ``libapache-jena-java`` renames Jena's bundled Xerces classes from
``org.apache.jena.ext.xerces`` to ``xerces`` but leaves their message files under the old name, so
the first XSD datatype Jena touches fails with "internal error"; the message files are copied
where the renamed classes look for them, into a folder put on the class path.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..errors import SetupError
from ..resources import packaged

# Debian's (and Ubuntu's) place for Jena's jars and their dependencies; KG_JENA_CLASSPATH overrides.
DEBIAN_JARS = Path("/usr/share/java")
HEAP = "256m"  # a batch of 96 documents needs a small part of this (measured: the JVM stays under 400 MB)
INSTALL_HINT = ("install a JDK and Apache Jena (Debian or Ubuntu: apt-get install default-jdk-headless "
                "libapache-jena-java), or choose --shacl-engine pyshacl")
_XERCES = "org/apache/jena/ext/xerces/"


def classpath() -> str | None:
    """Jena's class path (jars separated by ':'), or None if Jena is not installed."""
    configured = os.environ.get("KG_JENA_CLASSPATH")
    if configured:
        return configured
    if (DEBIAN_JARS / "jena-shacl.jar").is_file():
        return str(DEBIAN_JARS / "*")
    return None


def missing() -> str | None:
    """Why Jena cannot run here (one line), or None when java and Jena's jars are found."""
    if _java() is None:
        return f"Jena SHACL needs Java, and `java` is not on PATH: {INSTALL_HINT}"
    if classpath() is None:
        return f"Jena SHACL is not installed (no {DEBIAN_JARS}/jena-shacl.jar): {INSTALL_HINT}"
    return None


def _java() -> str | None:
    return shutil.which("java")


class JenaProcess:
    """One JVM running the validator; :meth:`send` a batch, :meth:`receive` its report, in order.

    Requests are queued in the JVM's stdin, so the next batch can be sent while one is checked:
    Java validates on one core while Python builds the next batch on the other.
    """

    def __init__(self) -> None:
        reason = missing()
        if reason is not None:
            raise SetupError(reason)
        self.folder = Path(tempfile.mkdtemp(prefix="kg-jena-"))
        self.count = 0
        self.sent: list[Path] = []
        messages = self.folder / "messages"
        jars = classpath() or ""
        _copy_xerces_messages(jars, messages)
        self.log = (self.folder / "java.log").open("wb")
        source = Path(str(packaged("graph", "shacl_jena.java")))
        try:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed argument list; batches go to stdin
                [_java() or "java", f"-Xmx{HEAP}", "-XX:+UseSerialGC",
                 "-cp", f"{jars}{os.pathsep}{messages}", str(source)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)
        except OSError as exc:
            self.close()
            raise SetupError(f"cannot start java for Jena SHACL ({exc}): {INSTALL_HINT}") from exc
        greeting = self._answer()
        if not greeting.startswith("ready"):
            self.close()
            raise SetupError(f"Jena SHACL did not start ({self._why(greeting)}): {INSTALL_HINT}")
        self.version = greeting.removeprefix("ready").strip()

    def send(self, shapes: bytes, data: bytes) -> None:
        """Queue one validation: ``shapes`` and ``data`` as N-Triples."""
        self.count += 1
        stem = self.folder / f"batch-{self.count}"
        paths = [stem.with_suffix(".shapes.nt"), stem.with_suffix(".data.nt"), stem.with_suffix(".report.nt")]
        paths[0].write_bytes(shapes)
        paths[1].write_bytes(data)
        try:
            request = "\t".join(map(str, paths)) + "\n"
            self.process.stdin.write(request.encode())  # type: ignore[union-attr]  # a PIPE
            self.process.stdin.flush()  # type: ignore[union-attr]
        except OSError as exc:
            raise SetupError(f"Jena SHACL stopped ({self._why(str(exc))})") from exc
        self.sent.append(stem)

    def receive(self) -> bytes:
        """The report (N-Triples) of the oldest batch sent and not yet received."""
        stem = self.sent.pop(0)
        answer = self._answer()
        try:
            if answer != "done":
                raise SetupError(f"Jena SHACL failed on a batch ({self._why(answer)}); "
                                 "try --shacl-engine pyshacl")
            return stem.with_suffix(".report.nt").read_bytes()
        finally:
            for suffix in (".shapes.nt", ".data.nt", ".report.nt"):
                stem.with_suffix(suffix).unlink(missing_ok=True)

    def close(self) -> None:
        process = getattr(self, "process", None)
        if process is not None:
            if process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()  # the JVM ends when its input does
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if hasattr(self, "log"):
            self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _answer(self) -> str:
        line = self.process.stdout.readline()  # type: ignore[union-attr]  # a PIPE
        return line.decode("utf-8", "replace").strip()

    def _why(self, answer: str) -> str:
        """The answer, or the last line Java wrote to stderr when it said nothing useful."""
        if answer and answer != "done":
            return answer.removeprefix("error ").strip()
        self.log.flush()
        lines = [line for line in (self.folder / "java.log").read_text("utf-8", "replace").splitlines()
                 if line.strip() and not line.startswith("SLF4J")]
        return lines[-1].strip() if lines else "no answer from java"


def _copy_xerces_messages(jars: str, folder: Path) -> None:
    """Copy Xerces's message files from jena-core's jar to where Debian's renamed classes look."""
    for jar in _jars(jars, "jena-core"):
        try:
            with zipfile.ZipFile(jar) as archive:
                for name in archive.namelist():
                    if name.startswith(_XERCES) and name.endswith(".properties"):
                        target = folder / name.removeprefix("org/apache/jena/ext/")
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(archive.read(name))
        except (OSError, zipfile.BadZipFile):
            continue
        return


def _jars(jars: str, stem: str) -> list[Path]:
    found = []
    for entry in jars.split(os.pathsep):
        path = Path(entry)
        candidates = sorted(path.parent.glob(f"{stem}*.jar")) if path.name == "*" else [path]
        found += [jar for jar in candidates if jar.name.startswith(stem) and jar.is_file()]
    return found
