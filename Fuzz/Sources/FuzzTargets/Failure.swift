/// Stops the fuzzer on a broken property, with what broke: libFuzzer saves
/// the input that made it.
func fail(_ message: String) -> Never {
    fatalError("property broken: \(message)")
}
