pub fn parse(_text: &str, _options: &super::MrzOptions) -> Result<super::Mrz, crate::FormatError> {
    Err(crate::FormatError::new(
        crate::Position::default(),
        None,
        "not yet",
    ))
}
pub const MAX_INPUT_BYTES: usize = 1024;
