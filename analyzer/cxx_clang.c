/* cxx_clang.c — libclang, loaded when the first C++ source needs it.
 *
 * Linking libclang made every run of condlint, C++ or not, map and relocate
 * libclang and libLLVM (half a million relocations: ~20 ms before main, the
 * whole cost of an unchanged warm run). These definitions stand in for the
 * libclang functions cxx.c and cxx_ast.c call: the first call of any of them
 * dlopens the library found at build time (CONDLINT_LIBCLANG, its soname) and
 * resolves them all. A libclang that cannot be loaded then is a message and
 * exit status 2, as an unreadable input is: C++ sources cannot be checked
 * without it. */
#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef CONDLINT_LIBCLANG
#define CONDLINT_LIBCLANG "libclang.so"
#endif

/* F(return type, name, parameters, arguments); V(name, parameters, arguments) returns void */
#define CL_CLANG_FUNCTIONS(F, V) \
  V(clang_CompilationDatabase_dispose, (CXCompilationDatabase a0), (a0)) \
  F(CXCompilationDatabase, clang_CompilationDatabase_fromDirectory, \
    (const char *BuildDir, CXCompilationDatabase_Error *ErrorCode), \
    (BuildDir, ErrorCode)) \
  F(CXCompileCommands, clang_CompilationDatabase_getAllCompileCommands, \
    (CXCompilationDatabase a0), \
    (a0)) \
  F(CXCompileCommands, clang_CompilationDatabase_getCompileCommands, \
    (CXCompilationDatabase a0, const char *CompleteFileName), \
    (a0, CompleteFileName)) \
  F(CXString, clang_CompileCommand_getArg, (CXCompileCommand a0, unsigned I), (a0, I)) \
  F(CXString, clang_CompileCommand_getDirectory, (CXCompileCommand a0), (a0)) \
  F(CXString, clang_CompileCommand_getFilename, (CXCompileCommand a0), (a0)) \
  F(unsigned, clang_CompileCommand_getNumArgs, (CXCompileCommand a0), (a0)) \
  V(clang_CompileCommands_dispose, (CXCompileCommands a0), (a0)) \
  F(CXCompileCommand, clang_CompileCommands_getCommand, \
    (CXCompileCommands a0, unsigned I), \
    (a0, I)) \
  F(unsigned, clang_CompileCommands_getSize, (CXCompileCommands a0), (a0)) \
  F(CXCursor, clang_Cursor_getArgument, (CXCursor C, unsigned i), (C, i)) \
  F(int, clang_Cursor_getNumArguments, (CXCursor C), (C)) \
  F(int, clang_Cursor_isNull, (CXCursor cursor), (cursor)) \
  F(int, clang_File_isEqual, (CXFile file1, CXFile file2), (file1, file2)) \
  F(CXIndex, clang_createIndex, \
    (int excludeDeclarationsFromPCH, int displayDiagnostics), \
    (excludeDeclarationsFromPCH, displayDiagnostics)) \
  V(clang_disposeDiagnostic, (CXDiagnostic Diagnostic), (Diagnostic)) \
  V(clang_disposeIndex, (CXIndex index), (index)) \
  V(clang_disposeString, (CXString string), (string)) \
  V(clang_disposeTokens, \
    (CXTranslationUnit TU, CXToken *Tokens, unsigned NumTokens), \
    (TU, Tokens, NumTokens)) \
  V(clang_disposeTranslationUnit, (CXTranslationUnit a0), (a0)) \
  F(unsigned, clang_equalCursors, (CXCursor a0, CXCursor a1), (a0, a1)) \
  F(const char *, clang_getCString, (CXString string), (string)) \
  F(CXType, clang_getCanonicalType, (CXType T), (T)) \
  F(CXCursor, clang_getCursorDefinition, (CXCursor a0), (a0)) \
  F(CXSourceRange, clang_getCursorExtent, (CXCursor a0), (a0)) \
  F(enum CXCursorKind, clang_getCursorKind, (CXCursor a0), (a0)) \
  F(CXSourceLocation, clang_getCursorLocation, (CXCursor a0), (a0)) \
  F(CXCursor, clang_getCursorReferenced, (CXCursor a0), (a0)) \
  F(CXCursor, clang_getCursorSemanticParent, (CXCursor cursor), (cursor)) \
  F(CXString, clang_getCursorSpelling, (CXCursor a0), (a0)) \
  F(CXType, clang_getCursorType, (CXCursor C), (C)) \
  F(CXDiagnostic, clang_getDiagnostic, (CXTranslationUnit Unit, unsigned Index), (Unit, Index)) \
  F(CXString, clang_getDiagnosticCategoryText, (CXDiagnostic a0), (a0)) \
  F(CXSourceLocation, clang_getDiagnosticLocation, (CXDiagnostic a0), (a0)) \
  F(enum CXDiagnosticSeverity, clang_getDiagnosticSeverity, (CXDiagnostic a0), (a0)) \
  F(CXString, clang_getDiagnosticSpelling, (CXDiagnostic a0), (a0)) \
  V(clang_getExpansionLocation, \
    (CXSourceLocation location, CXFile *file, unsigned *line, unsigned *column, \
     unsigned *offset), \
    (location, file, line, column, offset)) \
  F(CXFile, clang_getFile, (CXTranslationUnit tu, const char *file_name), (tu, file_name)) \
  F(CXSourceLocation, clang_getLocationForOffset, \
    (CXTranslationUnit tu, CXFile file, unsigned offset), \
    (tu, file, offset)) \
  F(CXCursor, clang_getNullCursor, (void), ()) \
  F(unsigned, clang_getNumDiagnostics, (CXTranslationUnit Unit), (Unit)) \
  F(CXSourceRange, clang_getRange, (CXSourceLocation begin, CXSourceLocation end), (begin, end)) \
  F(CXSourceLocation, clang_getRangeEnd, (CXSourceRange range), (range)) \
  F(CXSourceLocation, clang_getRangeStart, (CXSourceRange range), (range)) \
  V(clang_getSpellingLocation, \
    (CXSourceLocation location, CXFile *file, unsigned *line, unsigned *column, \
     unsigned *offset), \
    (location, file, line, column, offset)) \
  F(CXTokenKind, clang_getTokenKind, (CXToken a0), (a0)) \
  F(CXSourceLocation, clang_getTokenLocation, (CXTranslationUnit a0, CXToken a1), (a0, a1)) \
  F(CXString, clang_getTokenSpelling, (CXTranslationUnit a0, CXToken a1), (a0, a1)) \
  F(CXCursor, clang_getTranslationUnitCursor, (CXTranslationUnit a0), (a0)) \
  F(CXString, clang_getTypeSpelling, (CXType CT), (CT)) \
  F(unsigned, clang_isCursorDefinition, (CXCursor a0), (a0)) \
  F(unsigned, clang_isExpression, (enum CXCursorKind a0), (a0)) \
  F(enum CXErrorCode, clang_parseTranslationUnit2, \
    (CXIndex CIdx, const char *source_filename, const char *const *command_line_args, \
     int num_command_line_args, struct CXUnsavedFile *unsaved_files, \
     unsigned num_unsaved_files, unsigned options, CXTranslationUnit *out_TU), \
    (CIdx, source_filename, command_line_args, num_command_line_args, unsaved_files, \
     num_unsaved_files, options, out_TU)) \
  V(clang_tokenize, \
    (CXTranslationUnit TU, CXSourceRange Range, CXToken **Tokens, unsigned *NumTokens), \
    (TU, Range, Tokens, NumTokens)) \
  F(unsigned, clang_visitChildren, \
    (CXCursor parent, CXCursorVisitor visitor, CXClientData client_data), \
    (parent, visitor, client_data)) \

#define POINTER(ret, name, params, args) ret(*name) params;
#define VPOINTER(name, params, args) void(*name) params;
static struct {
  CL_CLANG_FUNCTIONS(POINTER, VPOINTER)
} fn;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void missing(const char *what) {
  fprintf(stderr, "condlint: C++ sources need libclang: %s\n", what);
  exit(2);
}

static void load(void) {
  void *h = dlopen(CONDLINT_LIBCLANG, RTLD_NOW | RTLD_LOCAL);
  if (!h) missing(dlerror());
#define RESOLVE(ret, name, params, args) \
  if (!(*(void **)&fn.name = dlsym(h, #name))) missing(#name " is not in " CONDLINT_LIBCLANG);
#define VRESOLVE(name, params, args) RESOLVE(void, name, params, args)
  CL_CLANG_FUNCTIONS(RESOLVE, VRESOLVE)
}

#define DEFINE(ret, name, params, args) \
  ret name params {                      \
    pthread_once(&once, load);           \
    return fn.name args;                 \
  }
#define VDEFINE(name, params, args) \
  void name params {                \
    pthread_once(&once, load);      \
    fn.name args;                   \
  }
CL_CLANG_FUNCTIONS(DEFINE, VDEFINE)
