package dev.ftmatrix.scanner.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for meson's build-definition language (statements, {@code if}/{@code foreach} blocks and the expression
 * grammar of the Meson reference), giving a small syntax tree for {@link MesonModules} to evaluate.
 */
final class MesonParser {
    sealed interface Stmt permits Assign, ExprStmt, If, Foreach, Jump {
    }

    sealed interface Expr permits Str, Num, Bool, Id, ListExpr, DictExpr, Unary, Binary, Ternary, Index, Call {
    }

    record Block(List<Stmt> stmts) {
    }

    record Assign(String name, boolean add, Expr value) implements Stmt {
    }

    record ExprStmt(Expr expr) implements Stmt {
    }

    record If(List<Expr> conditions, List<String> conditionText, List<Integer> lines, List<Block> blocks,
              Block elseBlock) implements Stmt {
    }

    record Foreach(List<String> names, Expr iterable, Block body) implements Stmt {
    }

    record Jump(boolean isBreak) implements Stmt {
    }

    record Str(String value) implements Expr {
    }

    record Num(Long value) implements Expr {
    }

    record Bool(Boolean value) implements Expr {
    }

    record Id(String name) implements Expr {
    }

    record ListExpr(List<Expr> items) implements Expr {
    }

    record DictExpr(List<Expr> keys, List<Expr> values) implements Expr {
    }

    record Unary(String op, Expr operand) implements Expr {
    }

    record Binary(String op, Expr left, Expr right) implements Expr {
    }

    record Ternary(Expr condition, Expr then, Expr otherwise) implements Expr {
    }

    record Index(Expr target, Expr index) implements Expr {
    }

    /** A function call ({@code target} null) or a method call, with its 1-based line. */
    record Call(Expr target, String name, List<Expr> args, Map<String, Expr> kwargs, int line) implements Expr {
    }

    static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message);
        }
    }

    private enum Kind { ID, STR, NUM, OP, EOL, EOF }

    private record Token(Kind kind, String text, int line, int start, int end) {
    }

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    MesonParser(String src) {
        this.src = src;
        lex();
    }

    Block parse() {
        Block b = block(List.of());
        if (peek().kind() != Kind.EOF) {
            throw new SyntaxError("unexpected '" + peek().text() + "' at line " + peek().line());
        }
        return b;
    }

    // ---- lexer
    private void lex() {
        int i = 0;
        int line = 1;
        int depth = 0;   // inside brackets a newline does not end a statement
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '\n') {
                if (depth == 0) {
                    tokens.add(new Token(Kind.EOL, "\n", line, i, i + 1));
                }
                line++;
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else if (c == '\\' && i + 1 < src.length() && src.charAt(i + 1) == '\n') {
                i += 2;
                line++;
            } else if (c == '#') {
                while (i < src.length() && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (src.startsWith("'''", i) || (c == 'f' && src.startsWith("'''", i + 1))) {
                int from = c == 'f' ? i + 4 : i + 3;
                int end = src.indexOf("'''", from);
                if (end < 0) {
                    throw new SyntaxError("unclosed ''' at line " + line);
                }
                String s = src.substring(from, end);
                tokens.add(new Token(Kind.STR, s, line, i, end + 3));
                line += (int) s.chars().filter(ch -> ch == '\n').count();
                i = end + 3;
            } else if (c == '\'' || (c == 'f' && i + 1 < src.length() && src.charAt(i + 1) == '\'')) {
                int j = c == 'f' ? i + 2 : i + 1;
                StringBuilder sb = new StringBuilder();
                while (j < src.length() && src.charAt(j) != '\'') {
                    char d = src.charAt(j);
                    if (d == '\\' && j + 1 < src.length()) {
                        char e = src.charAt(j + 1);
                        sb.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> e;
                        });
                        j += 2;
                    } else if (d == '\n') {
                        throw new SyntaxError("unclosed string at line " + line);
                    } else {
                        sb.append(d);
                        j++;
                    }
                }
                tokens.add(new Token(Kind.STR, sb.toString(), line, i, j + 1));
                i = j + 1;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < src.length() && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '_')) {
                    j++;
                }
                tokens.add(new Token(Kind.ID, src.substring(i, j), line, i, j));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < src.length() && Character.isLetterOrDigit(src.charAt(j))) {
                    j++;
                }
                tokens.add(new Token(Kind.NUM, src.substring(i, j), line, i, j));
                i = j;
            } else {
                String two = i + 1 < src.length() ? src.substring(i, i + 2) : "";
                String op = List.of("==", "!=", "<=", ">=", "+=").contains(two) ? two : String.valueOf(c);
                if ("([{".contains(op)) {
                    depth++;
                } else if (")]}".contains(op)) {
                    depth = Math.max(0, depth - 1);
                }
                tokens.add(new Token(Kind.OP, op, line, i, i + op.length()));
                i += op.length();
            }
        }
        tokens.add(new Token(Kind.EOL, "\n", line, i, i));
        tokens.add(new Token(Kind.EOF, "", line, i, i));
    }

    // ---- statements
    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private boolean isWord(String w) {
        return peek().kind() == Kind.ID && peek().text().equals(w);
    }

    private boolean isOp(String o) {
        return peek().kind() == Kind.OP && peek().text().equals(o);
    }

    private void expectOp(String o) {
        if (!isOp(o)) {
            throw new SyntaxError("expected '" + o + "' at line " + peek().line() + ", got '" + peek().text() + "'");
        }
        pos++;
    }

    private Block block(List<String> enders) {
        List<Stmt> out = new ArrayList<>();
        while (true) {
            while (peek().kind() == Kind.EOL) {
                pos++;
            }
            if (peek().kind() == Kind.EOF || peek().kind() == Kind.ID && enders.contains(peek().text())) {
                return new Block(out);
            }
            out.add(statement());
        }
    }

    private Stmt statement() {
        if (isWord("if")) {
            List<Expr> conds = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            List<Integer> lines = new ArrayList<>();
            List<Block> blocks = new ArrayList<>();
            Block elseBlock = null;
            Token t = next();
            condition(conds, texts, lines, t);
            blocks.add(block(List.of("elif", "else", "endif")));
            while (true) {
                Token w = next();
                if (w.text().equals("elif")) {
                    condition(conds, texts, lines, w);
                    blocks.add(block(List.of("elif", "else", "endif")));
                } else if (w.text().equals("else")) {
                    elseBlock = block(List.of("endif"));
                } else if (w.text().equals("endif")) {
                    return new If(conds, texts, lines, blocks, elseBlock);
                } else {
                    throw new SyntaxError("unclosed if at line " + t.line());
                }
            }
        }
        if (isWord("foreach")) {
            Token t = next();
            List<String> names = new ArrayList<>();
            names.add(next().text());
            if (isOp(",")) {
                pos++;
                names.add(next().text());
            }
            expectOp(":");
            Expr it = expr();
            Block body = block(List.of("endforeach"));
            if (!isWord("endforeach")) {
                throw new SyntaxError("unclosed foreach at line " + t.line());
            }
            pos++;
            return new Foreach(names, it, body);
        }
        if (isWord("break") || isWord("continue")) {
            return new Jump(next().text().equals("break"));
        }
        if (peek().kind() == Kind.ID && pos + 1 < tokens.size() && tokens.get(pos + 1).kind() == Kind.OP
                && (tokens.get(pos + 1).text().equals("=") || tokens.get(pos + 1).text().equals("+="))) {
            String name = next().text();
            boolean add = next().text().equals("+=");
            return new Assign(name, add, expr());
        }
        return new ExprStmt(expr());
    }

    private void condition(List<Expr> conds, List<String> texts, List<Integer> lines, Token keyword) {
        int startTok = pos;
        conds.add(expr());
        texts.add(src.substring(tokens.get(startTok).start(), tokens.get(Math.max(startTok, pos - 1)).end()));
        lines.add(keyword.line());
    }

    // ---- expressions, lowest precedence first
    private Expr expr() {
        Expr c = or();
        if (isOp("?")) {
            pos++;
            Expr a = expr();
            expectOp(":");
            Expr b = expr();
            return new Ternary(c, a, b);
        }
        return c;
    }

    private Expr or() {
        Expr l = and();
        while (isWord("or")) {
            pos++;
            l = new Binary("or", l, and());
        }
        return l;
    }

    private Expr and() {
        Expr l = not();
        while (isWord("and")) {
            pos++;
            l = new Binary("and", l, not());
        }
        return l;
    }

    private Expr not() {
        if (isWord("not")) {
            pos++;
            return new Unary("not", not());
        }
        return comparison();
    }

    private Expr comparison() {
        Expr l = additive();
        while (true) {
            if (peek().kind() == Kind.OP && List.of("==", "!=", "<", ">", "<=", ">=").contains(peek().text())) {
                String op = next().text();
                l = new Binary(op, l, additive());
            } else if (isWord("in")) {
                pos++;
                l = new Binary("in", l, additive());
            } else if (isWord("not") && tokens.get(pos + 1).kind() == Kind.ID && tokens.get(pos + 1).text().equals("in")) {
                pos += 2;
                l = new Binary("not in", l, additive());
            } else {
                return l;
            }
        }
    }

    private Expr additive() {
        Expr l = multiplicative();
        while (isOp("+") || isOp("-")) {
            String op = next().text();
            l = new Binary(op, l, multiplicative());
        }
        return l;
    }

    private Expr multiplicative() {
        Expr l = unary();
        while (isOp("*") || isOp("/") || isOp("%")) {
            String op = next().text();
            l = new Binary(op, l, unary());
        }
        return l;
    }

    private Expr unary() {
        if (isOp("-")) {
            pos++;
            return new Unary("-", unary());
        }
        return postfix(atom());
    }

    private Expr postfix(Expr e) {
        while (true) {
            if (isOp(".")) {
                pos++;
                Token name = next();
                if (isOp("(")) {
                    e = callArgs(e, name.text(), name.line());
                } else {
                    throw new SyntaxError("expected a method call at line " + name.line());
                }
            } else if (isOp("[")) {
                pos++;
                Expr i = expr();
                expectOp("]");
                e = new Index(e, i);
            } else {
                return e;
            }
        }
    }

    private Call callArgs(Expr target, String name, int line) {
        expectOp("(");
        List<Expr> args = new ArrayList<>();
        Map<String, Expr> kwargs = new LinkedHashMap<>();
        while (!isOp(")")) {
            if (peek().kind() == Kind.ID && tokens.get(pos + 1).kind() == Kind.OP && tokens.get(pos + 1).text().equals(":")) {
                String k = next().text();
                pos++;
                kwargs.put(k, expr());
            } else {
                args.add(expr());
            }
            if (isOp(",")) {
                pos++;
            } else if (!isOp(")")) {
                throw new SyntaxError("expected ',' or ')' at line " + peek().line() + ", got '" + peek().text() + "'");
            }
        }
        pos++;
        return new Call(target, name, args, kwargs, line);
    }

    private Expr atom() {
        Token t = next();
        switch (t.kind()) {
            case STR -> {
                return new Str(t.text());
            }
            case NUM -> {
                try {
                    return new Num(Long.decode(t.text().replaceFirst("^0o", "0")));
                } catch (NumberFormatException e) {
                    return new Num(0L);
                }
            }
            case ID -> {
                if (t.text().equals("true") || t.text().equals("false")) {
                    return new Bool(t.text().equals("true"));
                }
                if (isOp("(")) {
                    return callArgs(null, t.text(), t.line());
                }
                return new Id(t.text());
            }
            case OP -> {
                switch (t.text()) {
                    case "(" -> {
                        Expr e = expr();
                        expectOp(")");
                        return e;
                    }
                    case "[" -> {
                        List<Expr> items = new ArrayList<>();
                        while (!isOp("]")) {
                            items.add(expr());
                            if (isOp(",")) {
                                pos++;
                            } else if (!isOp("]")) {
                                throw new SyntaxError("expected ',' or ']' at line " + peek().line());
                            }
                        }
                        pos++;
                        return new ListExpr(items);
                    }
                    case "{" -> {
                        List<Expr> keys = new ArrayList<>();
                        List<Expr> values = new ArrayList<>();
                        while (!isOp("}")) {
                            keys.add(expr());
                            expectOp(":");
                            values.add(expr());
                            if (isOp(",")) {
                                pos++;
                            } else if (!isOp("}")) {
                                throw new SyntaxError("expected ',' or '}' at line " + peek().line());
                            }
                        }
                        pos++;
                        return new DictExpr(keys, values);
                    }
                    default -> throw new SyntaxError("unexpected '" + t.text() + "' at line " + t.line());
                }
            }
            default -> throw new SyntaxError("unexpected end at line " + t.line());
        }
    }
}
