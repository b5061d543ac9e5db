use pyo3::prelude::*;

/// Declares support: keeps the GIL off.
#[pymodule(gil_used = false)]
fn ready(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let _ = m;
    Ok(())
}

// #[pymodule(gil_used = false)] on the next one is only a comment
#[pymodule]
#[pyo3(name = "legacy_mod")]
fn legacy(m: &Bound<'_, PyModule>) -> PyResult<()> {  // expect: gil-declaration-missing
    let refcnt = unsafe { (*m.as_ptr()).ob_refcnt };  // expect: refcount-field
    let _ = refcnt;
    Ok(())
}
