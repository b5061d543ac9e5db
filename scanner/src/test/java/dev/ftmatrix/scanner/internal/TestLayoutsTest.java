package dev.ftmatrix.scanner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftmatrix.scanner.ProjectScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Project trees in the shapes real projects declare their test requirements in. */
class TestLayoutsTest {
    @TempDir
    Path tmp;

    private ProjectScan.Tests tests(String project, Map<String, String> files) throws IOException {
        for (var e : files.entrySet()) {
            Path p = tmp.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
        }
        SourceTree tree = SourceTree.of(tmp);
        JsonNode pyproject = PyprojectToml.read(tree, "pyproject.toml");
        return TestLayouts.find(tree, pyproject, project);
    }

    @Test
    void dependencyGroupsFollowIncludeGroupOnceAndExpandTheProjectsOwnExtras() throws IOException {
        ProjectScan.Tests t = tests("Markup_Safe", Map.of("pyproject.toml", """
                [project]
                name = "Markup_Safe"
                [project.optional-dependencies]
                speedups = ["simplejson"]
                docs = ["sphinx"]
                [dependency-groups]
                test = ["pytest>=8", {include-group = "coverage"}, "markup-safe[speedups]", "hypothesis"]
                coverage = ["coverage[toml]", {include-group = "test"}]
                lint = ["ruff"]
                """));
        assertEquals(List.of("pytest>=8", "coverage[toml]", "simplejson", "hypothesis"), t.requirements());
        assertEquals(List.of("pyproject.toml [dependency-groups] test", "pyproject.toml [dependency-groups] coverage",
                "pyproject.toml [project.optional-dependencies] speedups"), t.requirementSources());
    }

    @Test
    void aTestExtraThatNamesTheProjectBringsInThatExtraNotTheProject() throws IOException {
        ProjectScan.Tests t = tests("demo", Map.of("pyproject.toml", """
                [project]
                name = "demo"
                [project.optional-dependencies]
                Tests = ["demo[numpy]", "pytest"]
                numpy = ["numpy>=2; python_version >= '3.10'"]
                dev = ["mypy", "demo[tests]"]
                """));
        assertEquals(List.of("numpy>=2; python_version >= '3.10'", "pytest"), t.requirements(),
                "dev is the developer's set when a tests extra exists");
    }

    @Test
    void devGroupsCountWhenThereIsNoTestGroup() throws IOException {
        ProjectScan.Tests t = tests("zstd-like", Map.of("pyproject.toml", """
                [project]
                name = "zstd-like"
                [dependency-groups]
                dev = [
                    "cffi~=1.17; platform_python_implementation != 'PyPy' and python_version < '3.14'",
                    "cffi>=2.0.0b; platform_python_implementation != 'PyPy' and python_version >= '3.14'",
                    "pytest>=8.4.1",
                ]
                docs = ["sphinx"]
                """, "setup.py", "from setuptools import setup\nsetup(tests_require=[\"hypothesis\", \"pytest\"])\n"));
        assertEquals(List.of(
                "cffi~=1.17; platform_python_implementation != 'PyPy' and python_version < '3.14'",
                "cffi>=2.0.0b; platform_python_implementation != 'PyPy' and python_version >= '3.14'",
                "pytest>=8.4.1", "hypothesis"), t.requirements(),
                "one name under two markers is two requirements; an unmarked repeat keeps the first spec");
        assertEquals(List.of("pyproject.toml [dependency-groups] dev", "setup.py tests_require"), t.requirementSources());
    }

    @Test
    void setupPyExtrasAndTestsRequireAreFollowedThroughVariables() throws IOException {
        ProjectScan.Tests t = tests("lz4", Map.of("setup.py", """
                from setuptools import setup
                # Note: pytest 3.3.0 contains a bug
                tests_require = [
                    'pytest!=3.3.0',
                    'psutil',   # the tests measure memory
                    'pytest-cov',
                ],

                setup(
                    name='lz4',
                    tests_require=tests_require,
                    extras_require={
                        'tests': tests_require + ["lz4[flake8]"],
                        'docs': [
                            'sphinx >= 1.6.0',
                        ],
                        'flake8': ['flake8'],
                    },
                )
                """));
        assertEquals(List.of("pytest!=3.3.0", "psutil", "pytest-cov", "flake8"), t.requirements());
        assertEquals(List.of("setup.py tests_require", "setup.py extras_require tests", "setup.py extras_require flake8"),
                t.requirementSources());
    }

    @Test
    void aSetupPyExtrasDictHeldInAVariableIsRead() throws IOException {
        ProjectScan.Tests t = tests("boost-histogram", Map.of("setup.py", """
                import functools, operator
                from setuptools import setup
                extras = {
                    "test": ["pytest>=6.0", "pytest-benchmark", "cloudpickle", "hypothesis>=6.0"],
                    "docs": ["Sphinx>=4.0"],
                    "dev": ["ipykernel", "typer"],
                }
                extras["all"] = functools.reduce(operator.iadd, extras.values(), [])
                extras["dev"] += extras["test"]
                setup(ext_modules=[], extras_require=extras)
                """,
                "dev-requirements.txt", "cloudpickle\ndataclasses; python_version<'3.7'\nnumpy\npytest >=6,!=6.1.0\n"));
        assertEquals(List.of("pytest>=6.0", "pytest-benchmark", "cloudpickle", "hypothesis>=6.0",
                "dataclasses; python_version<'3.7'", "numpy"), t.requirements(),
                "the dev file counts (no test file), the dev extra does not (there is a test extra)");
    }

    @Test
    void setupCfgTestsRequireAndExtras() throws IOException {
        ProjectScan.Tests t = tests("cfgdemo", Map.of("setup.cfg", """
                [metadata]
                name = cfgdemo
                [options]
                tests_require =
                    pytest>=7
                    mock ; python_version < "3.3"
                [options.extras_require]
                testing =
                    # comment
                    pytest-xdist
                docs = sphinx
                """));
        assertEquals(List.of("pytest-xdist", "pytest>=7", "mock ; python_version < \"3.3\""), t.requirements());
        assertEquals(List.of("setup.cfg [options.extras_require] testing", "setup.cfg [options] tests_require"),
                t.requirementSources());
    }

    @Test
    void requirementsFilesFollowIncludesAndLeaveOutOptionsAndTheProject() throws IOException {
        ProjectScan.Tests t = tests("frozenlist", Map.of(
                "requirements/test.txt", "-r cython.txt\n--requirement=pure.txt\n",
                "requirements/cython.txt", "cython==3.0.6\n",
                "requirements/pure.txt", """
                        --index-url https://example.org/simple
                        -c ../constraints.txt
                        -e .
                        -e ./subpackage
                        ./other-local
                        coverage==7.6.1 \\
                            --hash=sha256:0123
                        pytest==7.4.3  # pinned
                        frozenlist @ git+https://github.com/aio-libs/frozenlist
                        git+https://github.com/aio-libs/frozenlist#egg=frozenlist
                        """,
                "requirements/dev.txt", "-r test.txt\ntox==4.11.4\n",
                "constraints.txt", "pytest<9\n"));
        assertEquals(List.of("cython==3.0.6", "coverage==7.6.1", "pytest==7.4.3"), t.requirements());
        assertEquals(List.of("requirements/test.txt", "requirements/cython.txt", "requirements/pure.txt"),
                t.requirementSources(), "dev.txt is the developer's superset when test files exist");
    }

    @Test
    void aCompiledRequirementsFileIsReadInsteadOfItsInput() throws IOException {
        ProjectScan.Tests t = tests("rpds-py", Map.of(
                "tests/requirements.in", "file:.#egg=rpds-py\npytest\n",
                "tests/requirements.txt", "iniconfig==2.0.0\n    # via pytest\npytest==8.3.3\nfile:.#egg=rpds-py\n"
                        + "    # via -r tests/requirements.in\n"));
        assertEquals(List.of("iniconfig==2.0.0", "pytest==8.3.3"), t.requirements());
        assertEquals(List.of("tests/requirements.txt"), t.requirementSources());
    }

    @Test
    void toxBaseEnvDepsFollowFilesSubstitutionsFactorsAndExtras() throws IOException {
        ProjectScan.Tests t = tests("toxdemo", Map.of(
                "tox.ini", """
                        [tox]
                        envlist = py3{12,13}, lint

                        [base]
                        deps =
                            attrs
                        [testenv]
                        extras = tests
                        deps =
                            -r{toxinidir}/requirements/base.txt
                            {[base]deps}
                            py313: numpy>=2.1
                            py3{8,9}: numpy<2
                            cov: pytest-cov
                            !pypy3: psutil
                            -e {toxinidir}
                            {env:EXTRA_DEP}
                        commands = pytest {posargs}
                        [testenv:lint]
                        deps = ruff
                        """,
                "requirements/base.txt", "pytest\n",
                "setup.py", "from setuptools import setup\nsetup(extras_require={'tests': ['hypothesis']})\n"));
        assertEquals(List.of("hypothesis", "pytest", "attrs", "numpy>=2.1; python_version == \"3.13\"",
                "numpy<2; python_version == \"3.8\" or python_version == \"3.9\"", "psutil"), t.requirements());
        assertEquals("tox.ini", t.tox());
        assertEquals(List.of("setup.py extras_require tests", "requirements/base.txt", "tox.ini [testenv] deps"),
                t.requirementSources());
    }

    @Test
    void pyprojectLegacyToxIniIsRead() throws IOException {
        ProjectScan.Tests t = tests("legacy", Map.of("pyproject.toml", """
                [project]
                name = "legacy"
                [tool.tox]
                legacy_tox_ini = \"""
                [testenv]
                deps =
                    pytest
                    legacy[extra]
                \"""
                """));
        assertEquals(List.of("pytest"), t.requirements());
        assertEquals(List.of("pyproject.toml [tool.tox] legacy_tox_ini [testenv] deps"), t.requirementSources());
        assertEquals("pyproject.toml", t.tox());
    }
}
